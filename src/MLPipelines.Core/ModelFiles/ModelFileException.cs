namespace MLPipelines.ModelFiles;

/// <summary>A model file that cannot be read: not a model, truncated or damaged, from a newer format, or needing a component that is not available.</summary>
public sealed class ModelFileException : Exception
{
    public ModelFileException(string path, string problem, Exception? inner = null) : base($"{path}: {problem}", inner) => Path = path;

    public string Path { get; }
}
