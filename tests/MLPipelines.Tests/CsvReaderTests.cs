using System.Globalization;
using System.Text;
using MLPipelines.Data;
using MLPipelines.Data.Csv;

namespace MLPipelines.Tests;

public sealed class CsvReaderTests
{
    public static TheoryData<string> Datasets => new(TestData.Manifest().Keys);

    /// <summary>Every shipped dataset: the row count of MANIFEST.tsv, and per column the type and missing count of COLUMNS.tsv.</summary>
    [Theory]
    [MemberData(nameof(Datasets))]
    public void Reads_real_datasets_with_the_types_and_missing_counts_their_documentation_states(string dataset)
    {
        var table = TestData.Load(dataset);
        Assert.Equal(TestData.Manifest()[dataset].Rows, table.RowCount);
        var columns = File.ReadAllLines(Path.Combine(TestData.Root, "datasets", "COLUMNS.tsv")).Skip(1)
            .Select(l => l.Split('\t')).Where(f => f[0] == dataset).ToList();
        Assert.Equal(columns.Count, table.Columns.Count);
        foreach (var c in columns)
        {
            var expected = c[3] switch { "numeric" => ColumnType.Numeric, "categorical" => ColumnType.Categorical, _ => ColumnType.Text };
            Assert.True(expected == table.Schema[c[1]].Type, $"{dataset}.{c[1]}: inferred {table.Schema[c[1]].Type}, documented {expected}");
            Assert.True(int.Parse(c[6]) == table[c[1]].MissingCount, $"{dataset}.{c[1]}: {table[c[1]].MissingCount} missing, documented {c[6]}");
            if (expected == ColumnType.Categorical && c[5] != "")
                Assert.Equal(int.Parse(c[5]), ((CategoricalColumn)table[c[1]]).Levels.Count);
        }
    }

    /// <summary>Every number of two real files equals double.Parse of its raw field (split independently: these files have no separators inside quotes).</summary>
    [Theory]
    [InlineData("diamonds")]
    [InlineData("credit_data")]
    [InlineData("spam")]
    public void Numbers_are_the_exact_doubles_of_the_text(string dataset)
    {
        var table = TestData.Load(dataset);
        var lines = File.ReadAllLines(TestData.PathOf(dataset));
        var header = lines[0].Split(',').Select(h => h.Trim('"')).ToArray();
        for (var c = 0; c < header.Length; c++)
        {
            if (table[header[c]] is not NumericColumn column) continue;
            for (var row = 0; row < table.RowCount; row++)
            {
                var field = lines[row + 1].Split(',')[c];
                var expected = field.Length == 0 ? double.NaN : double.Parse(field, CultureInfo.InvariantCulture);
                Assert.True(expected.Equals(column[row]), $"{dataset}, line {row + 2}, {header[c]}: '{field}' read as {column[row]:R}");
            }
        }
    }

    [Fact]
    public void Quoted_fields_hold_separators_quotes_and_line_breaks()
    {
        var table = CsvReader.Parse("id,comment,score\r\n1,\"a, b\",2.5\r\n2,\"she said \"\"hi\"\"\",3\r\n3,\"two\nlines\",4\r\n4,plain,5\r\n");
        var comments = table["comment"];
        Assert.Equal(ColumnType.Text, comments.Type);
        Assert.Equal(["a, b", "she said \"hi\"", "two\nlines", "plain"], Enumerable.Range(0, 4).Select(comments.Format));
        Assert.Equal([2.5, 3, 4, 5], table.Column<NumericColumn>("score").Values.ToArray());
        // Row origins count the line break inside the quoted field.
        Assert.Equal([2, 3, 4, 6], Enumerable.Range(0, 4).Select(r => table.Origins!.Line(r)));
    }

    [Fact]
    public void A_quote_inside_an_unquoted_field_is_a_character()
    {
        var table = CsvReader.Parse("size,price\n5\" screen,10\n7\" screen,12\n");
        Assert.Equal("5\" screen", table["size"].Format(0));
        Assert.Equal(2, table.RowCount);
    }

    [Fact]
    public void Utf8_with_a_byte_order_mark_and_without_reads_the_same()
    {
        var text = "name,value\nZürich,1\n東京,2\n";
        var withBom = new UTF8Encoding(true).GetPreamble().Concat(Encoding.UTF8.GetBytes(text)).ToArray();
        var a = CsvReader.Read(new MemoryStream(withBom), "with-bom.csv");
        var b = CsvReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)), "without-bom.csv");
        Assert.Equal("name", a.Columns[0].Name);
        Assert.Equal(["Zürich", "東京"], [a["name"].Format(0)!, a["name"].Format(1)!]);
        Assert.Equal(a["name"].Format(1), b["name"].Format(1));
    }

    [Fact]
    public void Empty_fields_and_missing_tokens_are_missing_and_the_tokens_are_configurable()
    {
        const string text = "x,y\n1,a\n,b\nNA,NA\n4,\n";
        var table = CsvReader.Parse(text);
        Assert.Equal(2, table["x"].MissingCount);
        Assert.Equal(2, table["y"].MissingCount);
        var custom = CsvReader.Parse("x,y\n1,NA\n-999,b\n", options: new CsvOptions { MissingValues = ["-999"] });
        Assert.True(custom["x"].IsMissing(1));
        Assert.Equal("NA", custom["y"].Format(0));
    }

    [Fact]
    public void Infers_booleans_text_and_numbers_with_infinities()
    {
        var table = CsvReader.Parse("flag,note,n\ntrue,the quick brown fox,1e3\nFALSE,jumps over the dog,-inf\nTrue,a lazy afternoon nap,Infinity\n");
        Assert.Equal(ColumnType.Boolean, table.Schema["flag"].Type);
        Assert.Equal([true, false, true], Enumerable.Range(0, 3).Select(r => ((BooleanColumn)table["flag"])[r]!.Value));
        Assert.Equal(ColumnType.Text, table.Schema["note"].Type);
        Assert.Equal([1000, double.NegativeInfinity, double.PositiveInfinity], table.Column<NumericColumn>("n").Values.ToArray());
    }

    [Fact]
    public void A_numeric_looking_categorical_column_can_be_declared_categorical()
    {
        var inferred = TestData.Load("sklearn_iris");
        Assert.Equal(ColumnType.Numeric, CsvReader.Read(TestData.PathOf("sklearn_digits")).Schema["label"].Type);
        var digits = TestData.Load("sklearn_digits");
        var label = (CategoricalColumn)digits["label"];
        Assert.Equal(10, label.Levels.Count);
        Assert.Contains("7", label.Levels);
        Assert.Equal(ColumnType.Categorical, inferred.Schema["species"].Type);
    }

    [Fact]
    public void Other_separators_are_supported()
    {
        var table = CsvReader.Parse("a;b\n1,5;x\n2;y\n", options: new CsvOptions { Separator = ';', ColumnTypes = new Dictionary<string, ColumnType> { ["a"] = ColumnType.Categorical } });
        Assert.Equal(["1,5", "2"], [table["a"].Format(0)!, table["a"].Format(1)!]);
    }

    /// <summary>Unless set, the separator is the one of , ; tab | found most often in the header outside quotes; a comma on a tie or where none is.</summary>
    [Theory]
    [InlineData("a;b;c\n1;2,5;x\n", "a|b|c")]
    [InlineData("a\tb\tc\n1\t2,5\tx\n", "a|b|c")]
    [InlineData("a|b|c\n1|2;5|x\n", "a|b|c")]
    [InlineData("\"a;1\",\"b;2\",c\n1,2,x\n", "a;1|b;2|c")]
    [InlineData("\"a,\"\"1\"\"\";b;c\n1;2;x\n", "a,\"1\"|b|c")]
    [InlineData("a;b;c,d\n1;2;3,5\n", "a|b|c,d")]
    [InlineData("a,b;c\n1,2;3\n", "a|b;c")]
    [InlineData("value\n1\n", "value")]
    public void The_separator_is_the_one_the_header_shows(string text, string columns)
    {
        Assert.Equal(columns.Split('|'), CsvReader.Parse(text).Schema.Select(c => c.Name));
    }

    /// <summary>A file not separated by commas whose first rows write numbers with decimal commas, and never with points, reads them as numbers.</summary>
    [Fact]
    public void Decimal_commas_are_read_where_the_file_writes_its_numbers_so()
    {
        var european = CsvReader.Parse("cement;water;age\n540;162,5;28\n332,5;-0,75;270\n");
        Assert.Equal([ColumnType.Numeric, ColumnType.Numeric, ColumnType.Numeric], european.Schema.Select(c => c.Type));
        Assert.Equal([162.5, -0.75], european.Column<NumericColumn>("water").Values.ToArray());
        Assert.Equal([540, 332.5], european.Column<NumericColumn>("cement").Values.ToArray());

        // A point anywhere in the first rows: the commas are something else (here codes), read as categories.
        var mixed = CsvReader.Parse("code;water\n1,5;162.5\n2,5;0.75\n");
        Assert.Equal([ColumnType.Categorical, ColumnType.Numeric], mixed.Schema.Select(c => c.Type));
        Assert.Equal(ColumnType.Categorical, CsvReader.Parse("code,water\n\"1,5\",162\n\"2,5\",0\n").Schema["code"].Type);

        // Past the rows looked at, a point in a decimal-comma file is an error: 1.500 may be a thousand.
        var late = "water;age\n" + string.Concat(Enumerable.Repeat("162,5;28\n", 1000)) + "1.500;28\n";
        var error = Assert.Throws<CsvFormatException>(() => CsvReader.Parse(late));
        Assert.Contains("line 1002, column 'water': '1.500' is not a number", error.Message);
        // A marker set is not detected: a point, so 162,5 is no number.
        Assert.Equal(ColumnType.Categorical, CsvReader.Parse("cement;water\n540;162,5\n", options: new CsvOptions { DecimalMarker = '.' }).Schema["water"].Type);
        Assert.Throws<ArgumentException>(() => CsvReader.Parse("a,b\n1,2\n", options: new CsvOptions { DecimalMarker = ',' }));
    }

    [Fact]
    public void Levels_are_in_order_of_first_appearance_whatever_the_thread_count()
    {
        var rows = Enumerable.Range(0, 50_000).Select(i => $"{i},level{(i * 7919) % 1000}");
        var text = "id,level\n" + string.Join('\n', rows) + "\n";
        var one = (CategoricalColumn)CsvReader.Parse(text, options: new CsvOptions { Threads = 1 })["level"];
        var four = (CategoricalColumn)CsvReader.Parse(text, options: new CsvOptions { Threads = 4 })["level"];
        Assert.Equal(one.Levels, four.Levels);
        Assert.Equal(one.Codes.ToArray(), four.Codes.ToArray());
        Assert.Equal("level0", one.Levels[0]);
        Assert.Equal("level919", one.Levels[1]);
        Assert.Equal("level838", one[2]);
    }

    // ---- bad input: each a clear exception naming file, line, column and value ----

    private static CsvFormatException Fails(string text, CsvOptions? options = null) =>
        Assert.Throws<CsvFormatException>(() => CsvReader.Parse(text, "data.csv", options));

    [Fact]
    public void An_empty_file_is_an_error()
    {
        Assert.Contains("empty", Fails("").Message);
        Assert.Contains("data.csv", Fails("\n\n").Message);
    }

    [Fact]
    public void A_header_without_rows_is_an_error()
    {
        var error = Fails("a,b,c\n");
        Assert.Contains("no data rows", error.Message);
        Assert.Equal(1, error.Line);
    }

    [Fact]
    public void A_ragged_row_names_its_line_and_field_counts()
    {
        var error = Fails("a,b,c\n1,2,3\n4,5\n6,7,8\n");
        Assert.Equal(3, error.Line);
        Assert.Contains("2 fields, but the header has 3", error.Message);
        Assert.Contains("data.csv, line 3", error.Message);
        Assert.Equal(4, Fails("a,b\n1,2\n3,4\n5,6,7\n").Line);
    }

    [Fact]
    public void A_non_numeric_value_past_the_inference_window_names_line_column_and_value()
    {
        var text = "id,amount\n" + string.Join('\n', Enumerable.Range(1, 1500).Select(i => $"{i},{i * 1.5}")) + "\n1501,twelve\n";
        var error = Fails(text);
        Assert.Equal(1502, error.Line);
        Assert.Equal("amount", error.Column);
        Assert.Equal("twelve", error.Value);
        Assert.Contains("'twelve' is not a number", error.Message);
        Assert.Contains("inferred Numeric (numbers) from its first 1000 values", error.Message);
        Assert.Contains("ColumnTypes", error.Message);
        // Declaring the type reads it.
        var table = CsvReader.Parse(text, options: new CsvOptions { ColumnTypes = new Dictionary<string, ColumnType> { ["amount"] = ColumnType.Categorical } });
        Assert.Equal("twelve", table["amount"].Format(1500));
    }

    [Fact]
    public void Duplicate_column_names_are_an_error()
    {
        var error = Fails("price,carat,price\n1,2,3\n");
        Assert.Equal("price", error.Column);
        Assert.Contains("appears twice (fields 1 and 3)", error.Message);
        Assert.Contains("header field 2 is empty", Fails("a,,c\n1,2,3\n").Message);
    }

    /// <summary>
    /// A date past the inference window of a column of numbers is not read as a day count, nor a number in a column of
    /// dates as one: either would be a wrong value without a word. Declared numeric, the column takes both.
    /// </summary>
    [Fact]
    public void A_date_among_numbers_or_a_number_among_dates_past_the_inference_window_names_line_column_and_value()
    {
        var options = new CsvOptions { InferenceValues = 2 };
        var amongNumbers = Fails("id,amount\n1,1.5\n2,3.0\n3,2023-01-15\n", options);
        Assert.Equal((4, "amount", "2023-01-15"), (amongNumbers.Line!.Value, amongNumbers.Column, amongNumbers.Value));
        Assert.Contains("'2023-01-15' is not a number (the column was inferred Numeric (numbers) from its first 2 values", amongNumbers.Message);

        var amongDates = Fails("id,day\n1,2023-01-14\n2,2023-01-15\n3,19373\n", options);
        Assert.Equal((4, "day", "19373"), (amongDates.Line!.Value, amongDates.Column, amongDates.Value));
        Assert.Contains("'19373' is not an ISO date (yyyy-MM-dd, with a time or not) (the column was inferred Numeric (ISO dates) from its first 2 values", amongDates.Message);

        var declared = CsvReader.Parse("id,amount\n1,1.5\n2,3.0\n3,2023-01-15\n",
            options: options with { ColumnTypes = new Dictionary<string, ColumnType> { ["amount"] = ColumnType.Numeric } });
        Assert.Equal([1.5, 3.0, 19_372], declared.Column<NumericColumn>("amount").Values.ToArray());
    }

    /// <summary>ISO dates are days since 1970-01-01 (a later date a larger number), written back as dates; other date formats stay categories.</summary>
    [Fact]
    public void Iso_dates_are_read_as_days_since_1970_and_written_back_as_dates()
    {
        var table = CsvReader.Parse("day,at,us,n\n1970-01-01,2023-01-15T06:00:00Z,01/02/2023,1\n2000-02-29,2023-01-15 18:30,02/01/2023,2\n,2023-01-16,03/01/2023,3\n");

        var day = table.Column<NumericColumn>("day");
        Assert.True(day.HoldsDates);
        Assert.Equal([0, 11_016, double.NaN], day.Values.ToArray());   // 30 years of 365 days and 7 leap days (1972 … 1996), plus 31 + 28
        Assert.Equal(["1970-01-01", "2000-02-29", null], Enumerable.Range(0, 3).Select(day.Format));
        var at = table.Column<NumericColumn>("at");
        Assert.Equal([19_372.25, 19_372 + 18.5 / 24, 19_373], at.Values.ToArray());
        Assert.Equal(["2023-01-15 06:00:00", "2023-01-15 18:30:00", "2023-01-16"], Enumerable.Range(0, 3).Select(at.Format));
        Assert.IsType<CategoricalColumn>(table["us"]);   // 01/02/2023: January 2nd or February 1st
        Assert.False(table.Column<NumericColumn>("n").HoldsDates);
        // A date that does not exist is no date: the column is a category.
        Assert.IsType<CategoricalColumn>(CsvReader.Parse("day\n2023-02-28\n2023-02-30\n")["day"]);

        // Written as read, so that the file reads back the same.
        var path = Path.Combine(TestData.TemporaryDirectory(), "dates.csv");
        CsvWriter.Write(table, path);
        var again = CsvReader.Read(path);
        Assert.Equal(day.Values.ToArray(), again.Column<NumericColumn>("day").Values.ToArray());
        Assert.Equal(at.Values.ToArray(), again.Column<NumericColumn>("at").Values.ToArray());
    }

    /// <summary>pandas' to_csv writes its index first under an empty name, R's write.csv its row names under "": they name rows and are left out.</summary>
    [Fact]
    public void An_unnamed_first_column_holds_row_names_and_is_left_out()
    {
        var pandas = CsvReader.Parse(",species,mass\n0,Adelie,3750\n1,Gentoo,5000\n");
        Assert.Equal(["species", "mass"], pandas.Schema.Select(c => c.Name));
        Assert.Equal(5000, pandas.Column<NumericColumn>("mass")[1]);
        Assert.True(pandas.Origins!.RowNamesLeftOut);
        Assert.Equal("0", pandas.Origins.RowNames!.Format(0));
        Assert.Equal("1", pandas.Origins.RowNames.Format(1));
        Assert.Equal("1", pandas.Select([1]).Origins!.RowNames!.Format(0));

        var r = CsvReader.Parse("\"\",\"mpg\",\"cyl\"\n\"Mazda RX4\",21,6\n\"Datsun 710\",22.8,4\n");
        Assert.Equal(["mpg", "cyl"], r.Schema.Select(c => c.Name));
        Assert.Equal("Datsun 710", r.Origins!.RowNames!.Format(1));

        Assert.False(CsvReader.Parse("a,b\n1,2\n").Origins!.RowNamesLeftOut);
        // Only the first column may go unnamed, and not when it is the only one.
        Assert.Contains("header field 1 is empty", Fails("\"\"\n1\n").Message);
    }

    [Fact]
    public void Unterminated_quotes_and_text_after_a_closing_quote_are_errors()
    {
        var unterminated = Fails("a,b\n1,\"open\n2,3\n");
        Assert.Equal(2, unterminated.Line);
        Assert.Contains("never closed", unterminated.Message);
        var trailing = Fails("a,b\n1,\"x\"y\n");
        Assert.Contains("after its closing quote", trailing.Message);
        Assert.Equal(2, trailing.Line);
    }

    [Fact]
    public void Declaring_a_column_the_file_lacks_is_an_error_naming_it()
    {
        var error = Fails("a,b\n1,2\n", new CsvOptions { ColumnTypes = new Dictionary<string, ColumnType> { ["c"] = ColumnType.Numeric } });
        Assert.Equal("c", error.Column);
        Assert.Contains("no such column (columns: a, b)", error.Message);
    }

    [Fact]
    public void A_declared_boolean_with_another_value_names_it()
    {
        var error = Fails("a,flag\n1,true\n2,maybe\n", new CsvOptions { ColumnTypes = new Dictionary<string, ColumnType> { ["flag"] = ColumnType.Boolean } });
        Assert.Equal(3, error.Line);
        Assert.Contains("'maybe' is not true or false (the column is declared Boolean)", error.Message);
    }

    [Fact]
    public void A_missing_file_is_a_file_not_found_error()
    {
        var error = Assert.Throws<FileNotFoundException>(() => CsvReader.Read("/no/such/file.csv"));
        Assert.Contains("/no/such/file.csv", error.Message);
    }

    /// <summary>
    /// A file is read with the separator and decimal marker it was written with, given or detected; written with them, it
    /// reads back the same: numbers with decimal commas, a text holding a comma and a point unchanged, dates as dates.
    /// </summary>
    [Fact]
    public void The_layout_a_file_was_read_with_is_recorded_and_a_table_written_with_it_reads_back_the_same()
    {
        var table = CsvReader.Parse("name;price;day\n\"Smith, J.\";2,5;2023-01-15\nLee;-1234,75;\n;1E-05;2023-02-01\n");
        Assert.Equal(new CsvLayout(';', ','), table.Origins!.Layout);
        Assert.Equal([2.5, -1234.75, 1e-5], table.Column<NumericColumn>("price").Values.ToArray());
        Assert.Equal(CsvLayout.Default, CsvReader.Parse("a,b\n1.5,x\n").Origins!.Layout);
        Assert.Equal(new CsvLayout('\t', '.'), CsvReader.Parse("a\tb\n1\t2\n", options: new CsvOptions { Separator = '\t' }).Origins!.Layout);
        Assert.Equal(table.Origins.Layout, table.Select([2, 0]).Origins!.Layout);

        var written = new StringWriter();
        CsvWriter.Write(table, written, table.Origins.Layout);
        Assert.Equal("name;price;day\nSmith, J.;2,5;2023-01-15\nLee;-1234,75;\n;1E-05;2023-02-01\n", written.ToString());
        var again = CsvReader.Parse(written.ToString());
        foreach (var column in table.Columns)
            for (var row = 0; row < table.RowCount; row++)
                Assert.Equal(column.Format(row), again[column.Name].Format(row));

        var refused = Assert.Throws<ArgumentException>(() => CsvWriter.Write(table, new StringWriter(), new CsvLayout(',', ',')));
        Assert.Contains("',' cannot be both the separator and the decimal marker", refused.Message);
    }

    [Fact]
    public void Written_tables_read_back_to_the_same_values()
    {
        var directory = TestData.TemporaryDirectory();
        try
        {
            var original = TestData.Load("credit_data");
            var path = Path.Combine(directory, "copy.csv");
            CsvWriter.Write(original, path);
            var copy = CsvReader.Read(path);
            Assert.Equal(original.Schema.Select(c => c.Type), copy.Schema.Select(c => c.Type));
            foreach (var column in original.Columns)
                for (var row = 0; row < original.RowCount; row++)
                    Assert.Equal(column.Format(row), copy[column.Name].Format(row));
        }
        finally
        {
            Directory.Delete(directory, true);
        }
    }
}
