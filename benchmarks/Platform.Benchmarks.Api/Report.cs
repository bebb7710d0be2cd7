using System.Globalization;
using System.Text;

namespace Platform.Benchmarks.Api;

/// <summary>The figures of one run, printed as a table and drawn as an SVG bar chart for the README.</summary>
internal sealed class Report
{
    /// <summary>Requests per second of each target, per measured round.</summary>
    public List<Dictionary<string, double>> ReadRounds { get; } = [];

    /// <summary>Each target's median over the measured rounds.</summary>
    private Dictionary<string, double> Throughput => ReadRounds.SelectMany(r => r.Keys).Distinct()
        .ToDictionary(name => name, name => Median(ReadRounds.Where(r => r.ContainsKey(name)).Select(r => r[name]).ToList()));

    public List<double> StartupMs { get; } = [];

    public List<double> FirstAnswerMs { get; } = [];

    public List<double> ReadyMs { get; } = [];

    public double WorkingSetMb { get; set; }

    public List<(int Size, double SelectiveMs, double CommonMs)> Search { get; } = [];

    /// <summary>The median of the rounds' ratios, each taken between targets measured seconds apart.</summary>
    private double? Ratio(string floor) => Ratios(floor) is { Count: > 0 } ratios ? Median(ratios) : null;

    private List<double> Ratios(string floor) =>
        ReadRounds.Where(r => r.ContainsKey(floor) && r.ContainsKey("Platform")).Select(r => r["Platform"] / r[floor]).ToList();

    private double StartupMedian => Median(StartupMs);

    private string RatioRange(string floor) =>
        string.Create(CultureInfo.InvariantCulture, $"{Ratios(floor).Min():0.00}-{Ratios(floor).Max():0.00}");

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? 0 : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    public void Print()
    {
        Console.WriteLine();
        Console.WriteLine("| what | result |");
        Console.WriteLine("|---|---|");
        foreach (var (name, rate) in Throughput)
        {
            Console.WriteLine($"| {name}, GET one product | {rate:N0} req/s |");
        }

        if (Ratio("EF Core floor") is { } ef)
        {
            Console.WriteLine($"| Platform vs EF Core floor, median of {ReadRounds.Count} rounds (min-max) | {ef:0.00}x ({RatioRange("EF Core floor")}) |");
        }

        if (Ratio("raw SQLite floor") is { } raw)
        {
            Console.WriteLine($"| Platform vs raw SQLite floor | {raw:0.00}x |");
        }

        Console.WriteLine($"| start-up to /health/live, median of {StartupMs.Count} (min-max) | {StartupMedian:N0} ms ({StartupMs.DefaultIfEmpty().Min():N0}-{StartupMs.DefaultIfEmpty().Max():N0}) |");
        Console.WriteLine($"| start-up to /health/ready (migrations checked, admin seeded), median | {Median(ReadyMs):N0} ms |");
        Console.WriteLine($"| start-up to the first product read (EF Core warms up on it), median | {Median(FirstAnswerMs):N0} ms |");
        Console.WriteLine($"| working set after the load run | {WorkingSetMb:N0} MB |");
        foreach (var (size, selective, common) in Search)
        {
            Console.WriteLine($"| search p50 at {size:N0} products: selective word / 10 % word with total | {selective:N2} ms / {common:N2} ms |");
        }

        if (Search.Count > 1)
        {
            Console.WriteLine($"| selective search, largest vs smallest catalog | {Search[^1].SelectiveMs / Search[0].SelectiveMs:0.00}x |");
        }
    }

    public string ToSvg()
    {
        var rows = new List<(string Group, string Label, double Value, string Unit)>();
        rows.AddRange(Throughput.Select(t => ("Read one product (req/s, higher is better)", t.Key, t.Value, "req/s")));
        rows.Add(("Start-up and memory", "start-up to /health/live", StartupMedian, "ms"));
        rows.Add(("Start-up and memory", "start-up to /health/ready", Median(ReadyMs), "ms"));
        rows.Add(("Start-up and memory", "start-up to first product read", Median(FirstAnswerMs), "ms"));
        rows.Add(("Start-up and memory", "working set after load", WorkingSetMb, "MB"));
        foreach (var (size, selective, common) in Search)
        {
            rows.Add(("Catalog search p50 (ms, lower is better)", $"{size:N0}: selective word", selective, "ms"));
            rows.Add(("Catalog search p50 (ms, lower is better)", $"{size:N0}: 10 % word + total", common, "ms"));
        }

        const int width = 760, labelWidth = 230, barWidth = 420, rowHeight = 22, groupGap = 30;
        var svg = new StringBuilder();
        var y = 40;
        var body = new StringBuilder();
        foreach (var group in rows.GroupBy(r => r.Group))
        {
            body.Append(CultureInfo.InvariantCulture, $"<text x=\"10\" y=\"{y}\" font-weight=\"bold\">{group.Key}</text>\n");
            y += 10;
            foreach (var (_, label, value, unit) in group)
            {
                var scale = group.Where(r => r.Unit == unit).Max(r => r.Value);
                var length = scale <= 0 ? 0 : value / scale * barWidth;
                body.Append(CultureInfo.InvariantCulture, $"<text x=\"{labelWidth - 8}\" y=\"{y + 15}\" text-anchor=\"end\">{label}</text>\n");
                body.Append(CultureInfo.InvariantCulture, $"<rect x=\"{labelWidth}\" y=\"{y + 3}\" width=\"{length:0.0}\" height=\"{rowHeight - 6}\" fill=\"{(label == "Platform" ? "#2b6cb0" : "#a0aec0")}\"/>\n");
                var shown = value < 100 ? value.ToString("0.0", CultureInfo.InvariantCulture) : value.ToString("N0", CultureInfo.InvariantCulture);
                body.Append(CultureInfo.InvariantCulture, $"<text x=\"{labelWidth + length + 6:0.0}\" y=\"{y + 15}\">{shown} {unit}</text>\n");
                y += rowHeight;
            }

            y += groupGap;
        }

        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{y}\" font-family=\"sans-serif\" font-size=\"13\">\n");
        svg.Append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"10\" y=\"20\" font-size=\"15\">Platform API benchmark ({DateTime.UtcNow:yyyy-MM-dd}, one run, {Environment.ProcessorCount} cores; benchmarks/api-vs-floor.sh)</text>\n");
        svg.Append(body);
        svg.Append("</svg>\n");
        return svg.ToString();
    }
}
