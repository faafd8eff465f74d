using System.Globalization;

sealed record RequestRecord(long SendMs, long DoneMs, int Status, int Events, int Accepted, int Failed, int Rejected, double LatencyMs)
{
    public const int Timeout = 0;
    public const int Error = -1;

    public string StatusText => Status switch { Timeout => "timeout", Error => "error", _ => Status.ToString(CultureInfo.InvariantCulture) };

    public string Csv() => $"{SendMs},{DoneMs},{StatusText},{Events},{Accepted},{Failed},{Rejected}";

    public static RequestRecord Parse(string line)
    {
        var f = line.Split(',');
        var status = f[2] switch { "timeout" => Timeout, "error" => Error, var s => int.Parse(s, CultureInfo.InvariantCulture) };
        long L(int i) => long.Parse(f[i], CultureInfo.InvariantCulture);
        int I(int i) => int.Parse(f[i], CultureInfo.InvariantCulture);
        return new RequestRecord(L(0), L(1), status, I(3), I(4), I(5), I(6), L(1) - L(0));
    }

    public static IEnumerable<RequestRecord> ReadAll(string path) =>
        File.ReadLines(path).Where(line => line.Length > 0 && char.IsDigit(line[0])).Select(Parse);
}
