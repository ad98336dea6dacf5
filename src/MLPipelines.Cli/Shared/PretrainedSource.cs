using System.Text.Json;

namespace MLPipelines.Cli.Shared;

/// <summary>
/// What a checkpoint pretrained on unlabeled rows was made from, written beside it
/// (<c>&lt;checkpoint&gt;.source.json</c>), so that a resumed <c>automl --unlabeled</c> reuses the
/// checkpoint of its first run instead of pretraining again (minutes, and with threads not
/// necessarily the same weights as the trials already in the store were fitted from). The file is
/// known by its full path, length and last write: a changed file is pretrained on again.
/// </summary>
internal sealed record PretrainedSource(string Unlabeled, long Bytes, DateTime ModifiedUtc, string Label, int Seed)
{
    public static PretrainedSource Of(string unlabeled, string label, int seed)
    {
        var file = new FileInfo(unlabeled);
        return new PretrainedSource(file.FullName, file.Length, file.LastWriteTimeUtc, label, seed);
    }

    private static string RecordPath(string checkpointPath) => checkpointPath + ".source.json";

    /// <summary>Whether the checkpoint at <paramref name="checkpointPath"/> exists and was pretrained from this source.</summary>
    public bool Made(string checkpointPath)
    {
        if (!File.Exists(checkpointPath) || !File.Exists(RecordPath(checkpointPath))) return false;
        try
        {
            return JsonSerializer.Deserialize<PretrainedSource>(File.ReadAllText(RecordPath(checkpointPath))) == this;
        }
        catch (JsonException)
        {
            return false;   // a damaged record: pretrain again
        }
    }

    /// <summary>Forgets what the checkpoint at the path was made from, before it is overwritten.</summary>
    public static void Forget(string checkpointPath) => File.Delete(RecordPath(checkpointPath));

    /// <summary>Records this source for the checkpoint just written at <paramref name="checkpointPath"/>.</summary>
    public void Record(string checkpointPath) => File.WriteAllText(RecordPath(checkpointPath), JsonSerializer.Serialize(this));
}
