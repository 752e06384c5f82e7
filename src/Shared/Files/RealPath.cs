namespace Fraud.Streaming.Shared.Files;

/// <summary>
/// A path with every symbolic link in it resolved, as the operating system would follow them (realpath(3)): what
/// decides whether a file lies inside a folder, or whether two paths name the same file.
/// </summary>
/// <remarks>
/// Written here because .NET resolves a link only at the last component (<see cref="FileSystemInfo.ResolveLinkTarget"/>)
/// and has no realpath; a link in a parent folder must be followed too, or <c>store/link/../../etc/passwd</c>-style
/// paths escape a root that a prefix test would call safe.
/// </remarks>
public static class RealPath
{
    private const int MaxLinks = 40; // as Linux's ELOOP limit

    /// <summary>The resolved absolute path; components that do not exist (yet) are kept as given.</summary>
    /// <exception cref="IOException">too many links (a loop).</exception>
    public static string Of(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var pending = new Stack<string>(Components(Path.GetFullPath(path)).Reverse());
        var resolved = Path.GetPathRoot(Path.GetFullPath(path)) ?? "/";
        var links = 0;
        while (pending.Count > 0)
        {
            var part = pending.Pop();
            if (part == ".")
            {
                continue;
            }
            if (part == "..")
            {
                resolved = Path.GetDirectoryName(resolved) ?? resolved;
                continue;
            }
            var next = Path.Combine(resolved, part);
            var info = new FileInfo(next);
            if (info.LinkTarget is { } target)
            {
                if (++links > MaxLinks)
                {
                    throw new IOException($"{path}: too many levels of symbolic links");
                }
                var absolute = Path.IsPathRooted(target) ? target : Path.Combine(resolved, target);
                foreach (var component in Components(Path.GetFullPath(absolute)).Reverse())
                {
                    pending.Push(component);
                }
                resolved = Path.GetPathRoot(Path.GetFullPath(absolute)) ?? "/";
                continue;
            }
            resolved = next;
        }
        return resolved;
    }

    /// <summary>Whether <paramref name="path"/> (resolved) lies strictly inside <paramref name="root"/> (resolved).</summary>
    public static bool IsInside(string path, string root)
    {
        var resolvedRoot = Of(root).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        return Of(path).StartsWith(resolvedRoot, StringComparison.Ordinal);
    }

    /// <summary>Whether two paths name the same file once links are resolved.</summary>
    public static bool Same(string a, string b) => string.Equals(Of(a), Of(b), StringComparison.Ordinal);

    private static IEnumerable<string> Components(string fullPath)
    {
        var root = Path.GetPathRoot(fullPath) ?? string.Empty;
        return fullPath[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
    }
}
