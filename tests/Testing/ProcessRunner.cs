using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Fraud.Streaming.Testing;

/// <summary>
/// A deployable started as its own process for an end-to-end test: output captured line by line, waits for a
/// line or for exit with timeouts that report what the process printed, SIGTERM for a graceful stop, and a
/// hard kill (of the whole tree) on dispose so no test leaves a process behind.
/// </summary>
public sealed partial class ProcessRunner : IAsyncDisposable, IDisposable
{
    private const int SigTerm = 15;

    private readonly Process _process;
    private readonly Lock _gate = new();
    private readonly List<OutputLine> _lines = [];
    private readonly List<(Func<string, bool> Predicate, TaskCompletionSource<string> Found)> _waiters = [];
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ProcessRunner(Process process, string description)
    {
        _process = process;
        Description = description;
    }

    /// <summary>One captured line; <see cref="IsError"/> when it came from stderr.</summary>
    public readonly record struct OutputLine(bool IsError, string Text);

    public string Description { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>A snapshot of every line so far, stdout and stderr in arrival order.</summary>
    public IReadOnlyList<OutputLine> Lines
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>Everything captured so far, stderr lines marked, for assertion messages.</summary>
    public string Output
    {
        get
        {
            var builder = new StringBuilder();
            foreach (var line in Lines)
            {
                builder.Append(line.IsError ? "[err] " : "      ").AppendLine(line.Text);
            }

            return builder.ToString();
        }
    }

    /// <summary>Starts <c>dotnet {dll} {args}</c>.</summary>
    public static ProcessRunner StartDotnet(
        string dllPath,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null,
        string? workingDirectory = null) =>
        Start("dotnet", [dllPath, .. arguments], environment, workingDirectory);

    /// <summary>Starts a program; <paramref name="environment"/> entries with a null value are removed from the child's environment.</summary>
    public static ProcessRunner Start(
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null,
        string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepoPaths.Root,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                info.Environment.Remove(key);
            }
            else
            {
                info.Environment[key] = value;
            }
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var runner = new ProcessRunner(process, $"{fileName} {string.Join(' ', info.ArgumentList)}");
        process.OutputDataReceived += (_, e) => runner.OnLine(isError: false, e.Data, runner._stdoutClosed);
        process.ErrorDataReceived += (_, e) => runner.OnLine(isError: true, e.Data, runner._stderrClosed);
        if (!process.Start())
        {
            throw new InvalidOperationException($"could not start {runner.Description}");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return runner;
    }

    /// <summary>
    /// Waits for a line (already printed or yet to come) matching <paramref name="predicate"/>.
    /// </summary>
    /// <exception cref="TimeoutException">no such line in time; the message holds the output.</exception>
    /// <exception cref="InvalidOperationException">the process exited without printing one.</exception>
    public async Task<string> WaitForLineAsync(Func<string, bool> predicate, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            foreach (var line in _lines)
            {
                if (predicate(line.Text))
                {
                    return line.Text;
                }
            }

            _waiters.Add((predicate, found));
        }

        try
        {
            var exited = Task.WhenAll(_process.WaitForExitAsync(cancellationToken), _stdoutClosed.Task, _stderrClosed.Task);
            var first = await Task.WhenAny(found.Task, exited, Task.Delay(timeout, cancellationToken));
            if (first == found.Task)
            {
                return await found.Task;
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (found.Task.IsCompleted)
            {
                return await found.Task;
            }

            if (first == exited)
            {
                throw new InvalidOperationException(
                    $"{Description} exited with code {_process.ExitCode} before printing the awaited line. Output:\n{Output}");
            }

            throw new TimeoutException($"{Description} printed no awaited line within {timeout}. Output:\n{Output}");
        }
        finally
        {
            lock (_gate)
            {
                _waiters.RemoveAll(w => w.Found == found);
            }
        }
    }

    /// <summary>Waits for a line containing <paramref name="text"/> (ordinal).</summary>
    public Task<string> WaitForLineAsync(string text, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        WaitForLineAsync(line => line.Contains(text, StringComparison.Ordinal), timeout, cancellationToken);

    /// <summary>Sends SIGTERM (a graceful stop request); on Windows, kills.</summary>
    public void Terminate()
    {
        if (_process.HasExited)
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            _process.Kill(entireProcessTree: true);
            return;
        }

        if (Kill(_process.Id, SigTerm) != 0 && !_process.HasExited)
        {
            throw new InvalidOperationException($"kill -TERM {_process.Id} failed (errno {Marshal.GetLastPInvokeError()})");
        }
    }

    /// <summary>Waits for the process to exit and its output to be read to the end; returns the exit code.</summary>
    /// <exception cref="TimeoutException">still running after <paramref name="timeout"/>; the message holds the output.</exception>
    public async Task<int> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await _process.WaitForExitAsync(limit.Token);
            await Task.WhenAll(_stdoutClosed.Task, _stderrClosed.Task).WaitAsync(limit.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{Description} still running after {timeout}. Output:\n{Output}");
        }

        return _process.ExitCode;
    }

    /// <summary>SIGTERM, then wait for exit; kills the tree if it does not stop in time. Returns the exit code.</summary>
    /// <exception cref="TimeoutException">it ignored SIGTERM (it is killed first).</exception>
    public async Task<int> StopAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        Terminate();
        try
        {
            return await WaitForExitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            KillTree();
            throw;
        }
    }

    public void KillTree()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }
    }

    public void Dispose()
    {
        KillTree();
        _process.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    public override string ToString() => Description;

    private void OnLine(bool isError, string? text, TaskCompletionSource closed)
    {
        if (text is null)
        {
            closed.TrySetResult();
            return;
        }

        lock (_gate)
        {
            _lines.Add(new OutputLine(isError, text));
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Predicate(text))
                {
                    _waiters[i].Found.TrySetResult(text);
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
