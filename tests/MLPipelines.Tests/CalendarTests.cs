using MLPipelines.Transforms;

namespace MLPipelines.Tests;

public sealed class CalendarTests
{
    /// <summary>Every day from 1600 to 2399 (days before 1970 negative), against .NET's calendar; a time of day does not change the day.</summary>
    [Fact]
    public void The_parts_of_every_day_of_eight_centuries_are_those_of_the_calendar()
    {
        var epoch = new DateOnly(1970, 1, 1);
        for (var date = new DateOnly(1600, 1, 1); date.Year < 2400; date = date.AddDays(1))
        {
            var days = date.DayNumber - epoch.DayNumber + 0.75;   // 18:00
            var expected = (date.Year, date.Month, date.Day, Weekday: ((int)date.DayOfWeek + 6) % 7);
            var actual = ((int)Calendar.Part(days, CalendarPart.Year), (int)Calendar.Part(days, CalendarPart.Month),
                (int)Calendar.Part(days, CalendarPart.Day), (int)Calendar.Part(days, CalendarPart.Weekday));
            if (actual != expected) Assert.Fail($"{date:yyyy-MM-dd}: {actual}, expected {expected}");
        }
    }

    [Fact]
    public void Known_dates_and_values_without_a_date()
    {
        Assert.Equal(3, Calendar.Part(0, CalendarPart.Weekday));          // 1970-01-01, a Thursday
        Assert.Equal(2000, Calendar.Part(11_016, CalendarPart.Year));     // 2000-02-29
        Assert.Equal(2, Calendar.Part(11_016, CalendarPart.Month));
        Assert.Equal(29, Calendar.Part(11_016, CalendarPart.Day));
        Assert.Equal(1, Calendar.Part(11_016, CalendarPart.Weekday));     // a Tuesday
        Assert.Equal(12, Calendar.Part(-1, CalendarPart.Month));           // 1969-12-31
        Assert.Equal(2, Calendar.Part(-1, CalendarPart.Weekday));          // a Wednesday
        Assert.True(double.IsNaN(Calendar.Part(double.NaN, CalendarPart.Year)));
        Assert.True(double.IsNaN(Calendar.Part(double.PositiveInfinity, CalendarPart.Day)));
    }
}
