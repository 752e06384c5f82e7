using System.Globalization;
using Fraud.Streaming.History.Benchmarks;

// Offline recomputation harness (not part of the test suite):
//   load N [CARDS]   replaces the history in Postgres with N synthetic transactions (80% labelled), once
//   run [REPEAT [STAGE]]  times the trainer's offline path over that history, each stage (or those whose name
//                         contains STAGE) REPEAT times
// Postgres: --pg CONNECTION, else $FRAUD_PG (written by deploy/devstack.sh), else the dev default.
var arguments = args.ToList();
var pgIndex = arguments.IndexOf("--pg");
string connectionString;
if (pgIndex >= 0 && pgIndex + 1 < arguments.Count)
{
    connectionString = arguments[pgIndex + 1];
    arguments.RemoveRange(pgIndex, 2);
}
else
{
    connectionString = Environment.GetEnvironmentVariable("FRAUD_PG") ?? "Host=127.0.0.1;Port=55432;Username=postgres;Database=fraud";
}
int Arg(int index, int fallback) => arguments.Count > index ? int.Parse(arguments[index], CultureInfo.InvariantCulture) : fallback;

switch (arguments.FirstOrDefault())
{
    case "load":
        var rows = Arg(1, 2_000_000);
        await HistoryLoader.LoadAsync(connectionString, rows, Arg(2, Math.Max(1, rows / 50)));
        return 0;
    case "run":
        await OfflineBenchmark.RunAsync(connectionString, Arg(1, 3), arguments.Count > 2 ? arguments[2] : null);
        return 0;
    default:
        Console.Error.WriteLine("usage: load N [CARDS] | run [REPEAT [STAGE]]   [--pg CONNECTION]");
        return 2;
}
