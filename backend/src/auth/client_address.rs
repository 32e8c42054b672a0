//! The client's real address behind reverse proxies. Only proxies the operator lists in
//! `TRUSTED_PROXIES` may say who their client was (`X-Forwarded-For`); anyone else's header
//! is ignored, so a client cannot pick the address it is throttled and logged under.

use std::net::{IpAddr, SocketAddr};

use ipnet::IpNet;

/// The proxies whose `X-Forwarded-For` is believed. Empty (the default): none, the socket's
/// peer is the client.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies {
    nets: Vec<IpNet>,
}

impl TrustedProxies {
    /// Parses a list of addresses and CIDR ranges separated by commas or spaces, e.g.
    /// `127.0.0.1, 10.0.0.0/8, ::1`. The error names the entry that is neither.
    pub fn parse(text: &str) -> Result<TrustedProxies, String> {
        let nets = text
            .split([',', ' ', '\t', '\n'])
            .filter(|entry| !entry.is_empty())
            .map(|entry| {
                entry
                    .parse::<IpNet>()
                    .or_else(|_| entry.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| format!("'{entry}' is not an IP address or CIDR range"))
            })
            .collect::<Result<_, _>>()?;
        Ok(TrustedProxies { nets })
    }

    /// Whether `address` is one of the trusted proxies (which may also name a request's id).
    pub fn trusts(&self, address: IpAddr) -> bool {
        let address = canonical(address);
        self.nets.iter().any(|net| net.contains(&address))
    }

    /// The client of a request that arrived from `peer` with these `X-Forwarded-For` header
    /// values. Read from the right: each hop a trusted proxy appended is believed until the
    /// first address that is not a trusted proxy — that one is the client. What lies further
    /// left was written by the client itself and is never used. An entry that is not an
    /// address stops the walk at the last trusted hop.
    pub fn client_ip<'a>(
        &self,
        peer: IpAddr,
        forwarded_for: impl IntoIterator<Item = &'a str>,
    ) -> IpAddr {
        let peer = canonical(peer);
        if !self.trusts(peer) {
            return peer;
        }
        let hops: Vec<&str> = forwarded_for
            .into_iter()
            .flat_map(|value| value.split(','))
            .map(str::trim)
            .collect();
        let mut client = peer;
        for hop in hops.iter().rev() {
            let Some(address) = parse_hop(hop) else {
                return client;
            };
            client = address;
            if !self.trusts(address) {
                return address;
            }
        }
        client
    }
}

/// An address as proxies write it: `203.0.113.7`, `2001:db8::1`, `[2001:db8::1]:443` or
/// `203.0.113.7:51000`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    hop.parse::<IpAddr>()
        .or_else(|_| hop.parse::<SocketAddr>().map(|socket| socket.ip()))
        .ok()
        .map(canonical)
}

/// IPv4 clients of a dual-stack socket arrive as `::ffff:a.b.c.d`; they are the IPv4 address.
fn canonical(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(address, IpAddr::V4),
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap_or(IpAddr::from([0, 0, 0, 0]))
    }

    fn proxies(text: &str) -> TrustedProxies {
        TrustedProxies::parse(text).unwrap_or_default()
    }

    #[test]
    fn without_trusted_proxies_the_header_is_ignored() {
        let none = TrustedProxies::default();
        assert_eq!(
            none.client_ip(ip("198.51.100.9"), ["203.0.113.7"]),
            ip("198.51.100.9")
        );
    }

    #[test]
    fn an_untrusted_peer_cannot_choose_its_address() {
        let nginx = proxies("127.0.0.1");
        assert_eq!(
            nginx.client_ip(ip("198.51.100.9"), ["127.0.0.1"]),
            ip("198.51.100.9")
        );
    }

    #[test]
    fn behind_a_trusted_proxy_the_client_is_the_hop_before_it() {
        let nginx = proxies("127.0.0.1, 10.0.0.0/8");
        assert_eq!(
            nginx.client_ip(ip("127.0.0.1"), ["203.0.113.7"]),
            ip("203.0.113.7")
        );
        // Two proxies: a load balancer (10.1.2.3) in front of nginx.
        assert_eq!(
            nginx.client_ip(ip("127.0.0.1"), ["203.0.113.7, 10.1.2.3"]),
            ip("203.0.113.7")
        );
        // Split over two header lines, as HTTP allows.
        assert_eq!(
            nginx.client_ip(ip("127.0.0.1"), ["203.0.113.7", "10.1.2.3"]),
            ip("203.0.113.7")
        );
    }

    #[test]
    fn what_the_client_wrote_itself_is_never_used() {
        let nginx = proxies("127.0.0.1");
        // The client sent "X-Forwarded-For: 192.0.2.1"; nginx appended the real address.
        assert_eq!(
            nginx.client_ip(ip("127.0.0.1"), ["192.0.2.1, 203.0.113.7"]),
            ip("203.0.113.7")
        );
        // A client claiming to be the proxy itself gets no further either.
        assert_eq!(
            nginx.client_ip(ip("127.0.0.1"), ["127.0.0.1, 203.0.113.7"]),
            ip("203.0.113.7")
        );
    }

    #[test]
    fn garbage_stops_at_the_last_trusted_hop() {
        let nginx = proxies("127.0.0.1");
        assert_eq!(
            nginx.client_ip(ip("127.0.0.1"), ["unknown"]),
            ip("127.0.0.1")
        );
        assert_eq!(nginx.client_ip(ip("127.0.0.1"), [""]), ip("127.0.0.1"));
        assert_eq!(
            nginx.client_ip(ip("127.0.0.1"), Vec::<&str>::new()),
            ip("127.0.0.1")
        );
    }

    #[test]
    fn ports_brackets_and_mapped_ipv4_are_understood() {
        let nginx = proxies("::1, 127.0.0.1");
        assert_eq!(
            nginx.client_ip(ip("::1"), ["[2001:db8::1]:443"]),
            ip("2001:db8::1")
        );
        assert_eq!(
            nginx.client_ip(ip("::ffff:127.0.0.1"), ["203.0.113.7:51000"]),
            ip("203.0.113.7")
        );
    }

    #[test]
    fn the_setting_names_a_bad_entry() {
        assert_eq!(
            TrustedProxies::parse("127.0.0.1, nginx"),
            Err("'nginx' is not an IP address or CIDR range".to_string())
        );
        assert_eq!(TrustedProxies::parse(""), Ok(TrustedProxies::default()));
    }
}
