namespace GameAnalytics.DevBroker.Broker;

public sealed class PortInUseException(int port, Exception inner) : Exception(
    $"Port {port} is already in use, so the dev broker cannot listen there. " +
    $"Another Kafka broker or dev broker may be running: stop it, or choose another port with DevBroker:Port.",
    inner)
{
    public int Port { get; } = port;
}
