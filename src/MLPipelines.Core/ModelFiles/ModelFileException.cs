namespace MLPipelines.ModelFiles;

/// <summary>A model that cannot be read: damaged, from a newer format, or needing a component (an assembly, a native library) that is not available.</summary>
public sealed class ModelFileException : Exception
{
    public ModelFileException(string path, string problem, Exception? inner = null) : base($"{path}: {problem}", inner) => Path = path;

    /// <summary>The file, or the part of a model file, that could not be read.</summary>
    public string Path { get; }

    /// <summary>Whether an exception says that a native library (libtorch, XGBoost, a shim) could not be loaded, and its message.</summary>
    public static bool IsMissingNativeLibrary(Exception e, out string message)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
            if (inner is DllNotFoundException)
            {
                message = inner.Message;
                return true;
            }
        message = "";
        return false;
    }
}
