using System.Globalization;
using System.Text.RegularExpressions;

namespace MLPipelines.Cli.Shared;

/// <summary>Durations as people type them: "90" or "90s", "5m", "1.5h", "1h30m".</summary>
internal static partial class Durations
{
    /// <summary>The duration, or an <see cref="ArgumentException"/> that shows the accepted forms.</summary>
    public static TimeSpan Parse(string text, string what)
    {
        var trimmed = text.Trim();
        var match = Pattern().Match(trimmed);
        if (trimmed.Length == 0 || !match.Success || match.Length != trimmed.Length)
            throw new ArgumentException($"{what} '{text}' is not a duration: write e.g. 300, 300s, 5m, 1.5h or 1h30m");
        var seconds = 0.0;
        foreach (Capture part in match.Groups["part"].Captures)
        {
            var unit = part.Value[^1];
            var number = char.IsLetter(unit) ? part.Value[..^1] : part.Value;
            seconds += double.Parse(number, CultureInfo.InvariantCulture) * (unit switch { 'h' => 3600, 'm' => 60, _ => 1 });
        }
        if (seconds <= 0) throw new ArgumentException($"{what} must be positive, got '{text}'");
        return TimeSpan.FromSeconds(seconds);
    }

    public static string Format(TimeSpan duration) =>
        duration.TotalHours >= 1 ? $"{(int)duration.TotalHours}:{duration.Minutes:00}:{duration.Seconds:00}" : $"{duration.Minutes}:{duration.Seconds:00}";

    [GeneratedRegex(@"^(?<part>\d+(\.\d+)?[hms]?)+$")]
    private static partial Regex Pattern();
}
