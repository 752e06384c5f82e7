using System.Globalization;
using Microsoft.Diagnostics.Tracing;

// What a process allocated, by type, from a dotnet-trace of its GC's allocation ticks (`--profile gc-verbose`: one
// event per ~100 KB allocated, naming the type that crossed the mark, so each type's share of the ticks is its share of
// the bytes). Prints the top types and, given how many transactions the window scored, bytes per transaction for each.
//   Fraud.Streaming.AllocationTypes TRACE.nettrace [TRANSACTIONS=0] [TOP=25]
if (args.Length is < 1 or > 3 || !File.Exists(args[0]))
{
    Console.Error.WriteLine("usage: Fraud.Streaming.AllocationTypes TRACE.nettrace [TRANSACTIONS] [TOP]");
    return 2;
}
var transactions = args.Length > 1 ? long.Parse(args[1], CultureInfo.InvariantCulture) : 0;
var top = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 25;
var bytes = new Dictionary<string, long>();
long total = 0;
using (var source = new EventPipeEventSource(args[0]))
{
    source.Clr.GCAllocationTick += tick =>
    {
        bytes[tick.TypeName] = bytes.GetValueOrDefault(tick.TypeName) + tick.AllocationAmount64;
        total += tick.AllocationAmount64;
    };
    source.Process();
}
if (total == 0)
{
    Console.Error.WriteLine($"error: {args[0]} holds no allocation ticks (collect it with --profile gc-verbose)");
    return 1;
}
string PerTransaction(long b) => transactions > 0 ? string.Create(CultureInfo.InvariantCulture, $"{(double)b / transactions,8:F0} B/tx") : string.Empty;
foreach (var (type, b) in bytes.OrderByDescending(x => x.Value).Take(top))
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{b * 100.0 / total,6:F1}% {PerTransaction(b)}  {type}"));
}
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total {total:N0} bytes sampled {PerTransaction(total)}"));
return 0;
