using System.Globalization;
using Microsoft.Data.Sqlite;

namespace MLPipelines.AutoML.Trials;

/// <summary>
/// Trials in a SQLite file, written ahead (WAL) and synced on every commit (synchronous=FULL),
/// each change one statement (so one transaction): a process killed at any moment leaves the file whole,
/// with every trial and fold recorded before the kill. One experiment per file.
/// </summary>
public sealed class SqliteTrialStore : ITrialStore
{
    private const string SchemaVersion = "1";
    private readonly SqliteConnection _connection;
    private readonly string _path;

    public SqliteTrialStore(string path)
    {
        _path = Path.GetFullPath(path);
        try
        {
            _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString());
            _connection.Open();
            Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
            var check = Scalar("PRAGMA quick_check;");
            if (check != "ok") throw new TrialStoreException($"{_path} is damaged: {check}");
            Execute("""
                CREATE TABLE IF NOT EXISTS experiment (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS trials (
                    number INTEGER PRIMARY KEY, candidate TEXT NOT NULL, family TEXT NOT NULL, configuration TEXT,
                    seed INTEGER NOT NULL, status TEXT NOT NULL, seconds REAL NOT NULL, note TEXT, started TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS folds (
                    trial INTEGER NOT NULL REFERENCES trials(number) ON DELETE CASCADE, fold INTEGER NOT NULL,
                    metric REAL, fit_seconds REAL NOT NULL, predict_seconds REAL NOT NULL, converged INTEGER NOT NULL,
                    note TEXT, converged_fit_seconds REAL, predictions BLOB, learning_curve BLOB, PRIMARY KEY (trial, fold));
                """);
        }
        catch (SqliteException e)
        {
            _connection?.Dispose();
            throw new TrialStoreException($"{_path} cannot be used as a trial store: {e.Message}", e);
        }
    }

    public IReadOnlyList<TrialRecord> Open(string settings)
    {
        var stored = Scalar("SELECT value FROM experiment WHERE key = 'settings';");
        if (stored is null)
        {
            // One statement: both rows or neither.
            Execute("INSERT INTO experiment (key, value) VALUES ('settings', $value), ('schema', $schema);", ("$value", settings), ("$schema", SchemaVersion));
            return [];
        }
        if (stored != settings)
            throw new TrialStoreException($"{_path} holds an experiment with other settings; use another store file, or the same settings to resume it.\n  stored: {stored}\n  now:    {settings}");
        var schema = Scalar("SELECT value FROM experiment WHERE key = 'schema';");
        if (schema != SchemaVersion) throw new TrialStoreException($"{_path} was written in store format {schema}; this version reads format {SchemaVersion}");

        // A trial that was running when the process died is run again from its first fold.
        Execute("DELETE FROM trials WHERE status = $running;", ("$running", nameof(TrialStatus.Running)));
        return ReadTrials();
    }

    public void Begin(TrialRecord trial) =>
        Execute("""
            INSERT OR REPLACE INTO trials (number, candidate, family, configuration, seed, status, seconds, note, started)
            VALUES ($number, $candidate, $family, $configuration, $seed, $status, 0, NULL, $started);
            """,
            ("$number", trial.Number), ("$candidate", trial.Candidate), ("$family", trial.Family.ToString()), ("$configuration", trial.Configuration),
            ("$seed", trial.Seed), ("$status", nameof(TrialStatus.Running)), ("$started", DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture)));

    public void AddFold(int trial, FoldRecord fold) =>
        Execute("""
            INSERT OR REPLACE INTO folds (trial, fold, metric, fit_seconds, predict_seconds, converged, note, converged_fit_seconds, predictions, learning_curve)
            VALUES ($trial, $fold, $metric, $fit, $predict, $converged, $note, $convergedFit, $predictions, $curve);
            """,
            ("$trial", trial), ("$fold", fold.Fold), ("$metric", fold.Metric), ("$fit", fold.FitSeconds), ("$predict", fold.PredictSeconds),
            ("$converged", fold.Converged ? 1 : 0), ("$note", fold.Note), ("$convergedFit", fold.ConvergedFitSeconds), ("$predictions", Bytes(fold.Predictions)), ("$curve", Bytes(fold.LearningCurve)));

    public void Finish(int trial, TrialStatus status, double seconds, string? note) =>
        Execute("UPDATE trials SET status = $status, seconds = $seconds, note = $note WHERE number = $number;",
            ("$status", status.ToString()), ("$seconds", seconds), ("$note", note), ("$number", trial));

    public void Dispose() => _connection.Dispose();

    private List<TrialRecord> ReadTrials()
    {
        var folds = new Dictionary<long, List<FoldRecord>>();
        using (var command = Command("SELECT trial, fold, metric, fit_seconds, predict_seconds, converged, note, converged_fit_seconds, predictions, learning_curve FROM folds ORDER BY trial, fold;"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var fold = new FoldRecord(reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetDouble(2), reader.GetDouble(3), reader.GetDouble(4),
                    reader.GetInt64(5) != 0, reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetDouble(7),
                    reader.IsDBNull(8) ? null : Floats((byte[])reader.GetValue(8)))
                {
                    LearningCurve = reader.IsDBNull(9) ? null : Floats((byte[])reader.GetValue(9)),
                };
                (folds.TryGetValue(reader.GetInt64(0), out var list) ? list : folds[reader.GetInt64(0)] = []).Add(fold);
            }
        }
        var trials = new List<TrialRecord>();
        using (var command = Command("SELECT number, candidate, family, configuration, seed, status, seconds, note FROM trials ORDER BY number;"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var number = reader.GetInt32(0);
                trials.Add(new TrialRecord(number, reader.GetString(1), Enum.Parse<ModelFamily>(reader.GetString(2)), reader.IsDBNull(3) ? null : reader.GetString(3),
                    reader.GetInt32(4), Enum.Parse<TrialStatus>(reader.GetString(5)), reader.GetDouble(6), reader.IsDBNull(7) ? null : reader.GetString(7),
                    folds.TryGetValue(number, out var list) ? list : []));
            }
        }
        return trials;
    }

    private static byte[]? Bytes(float[]? values) => values is null ? null : System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    private static float[] Floats(byte[] bytes) => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes).ToArray();

    private string? Scalar(string sql)
    {
        using var command = Command(sql);
        return command.ExecuteScalar() as string;
    }

    private void Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(sql);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        command.ExecuteNonQuery();
    }

    private SqliteCommand Command(string sql)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }
}
