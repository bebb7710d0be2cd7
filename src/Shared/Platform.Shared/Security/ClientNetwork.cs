using System.Net;
using System.Net.Sockets;

namespace Platform.Shared.Security;

/// <summary>
/// The unit a client is counted by for rate limits and sign-in throttling: its IPv4 address, or its
/// IPv6 /64 network (one household or host gets a whole /64, so single IPv6 addresses are free to rotate).
/// </summary>
public static class ClientNetwork
{
    public static string Of(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
