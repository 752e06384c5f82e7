namespace Fraud.Streaming.Shared.Files;

/// <summary>
/// Checks of the files a command reads and writes, made before any work starts, each failure one line naming the
/// option: an input that is missing, a folder or unreadable; an output that is a folder, sits under a file, or is one
/// of the inputs (it would be truncated before it is read).
/// </summary>
public static class CliPaths
{
    /// <summary>An input file: exists, is not a folder, can be opened for reading. Null when fine, else the problem.</summary>
    public static string? Input(string? path, string option)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return $"{option} is empty";
        }
        if (Directory.Exists(path))
        {
            return $"{option} '{path}' is a folder, not a file";
        }
        if (!File.Exists(path))
        {
            return $"{option} '{path}' does not exist";
        }
        try
        {
            using var _ = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"{option} '{path}' cannot be read: {ex.Message}";
        }
        return null;
    }

    /// <summary>
    /// An output file: not a folder, its folder creatable, and not the same file as any of <paramref name="inputs"/>
    /// (option name, path; null paths are skipped). Null when fine, else the problem.
    /// </summary>
    public static string? Output(string? path, string option, params (string Option, string? Path)[] inputs)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return $"{option} is empty";
        }
        if (Directory.Exists(path))
        {
            return $"{option} '{path}' is a folder; it needs a file name";
        }
        if (ParentProblem(path, option) is { } parent)
        {
            return parent;
        }
        foreach (var (inputOption, input) in inputs)
        {
            if (input is not null && RealPath.Same(path, input))
            {
                return $"{option} '{path}' is the same file as {inputOption}; writing it would destroy the input before it is read";
            }
        }
        return null;
    }

    /// <summary>
    /// An output folder: not a file, creatable, and none of <paramref name="files"/> (names written inside it) the same
    /// file as one of <paramref name="inputs"/>. Null when fine, else the problem.
    /// </summary>
    public static string? OutputDirectory(string? path, string option, IEnumerable<string> files, params (string Option, string? Path)[] inputs)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return $"{option} is empty";
        }
        if (File.Exists(path))
        {
            return $"{option} '{path}' is a file, not a folder";
        }
        if (ParentProblem(Path.Combine(path, "x"), option) is { } parent)
        {
            return parent;
        }
        foreach (var file in files)
        {
            if (Output(Path.Combine(path, file), $"{option}/{file}", inputs) is { } problem)
            {
                return problem;
            }
        }
        return null;
    }

    /// <summary>The nearest existing ancestor of <paramref name="path"/> must be a folder (a file there blocks creating it).</summary>
    private static string? ParentProblem(string path, string option)
    {
        for (var dir = Path.GetDirectoryName(Path.GetFullPath(path)); !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
        {
            if (Directory.Exists(dir))
            {
                return null;
            }
            if (File.Exists(dir))
            {
                return $"{option} '{path}' cannot be created: '{dir}' is a file";
            }
        }
        return null;
    }
}
