//! Server URL templates with `{variables}` (OpenAPI `servers[].variables`).

use crate::error::Error;
use crate::wire::encode::encode_path_segment;

/// One variable: name, default, allowed values (empty: any value).
pub type ServerVariable = (&'static str, &'static str, &'static [&'static str]);

/// Fill the template `servers[index]`: defaults from `variables[index]`, overridden by `values`.
///
/// A value for a variable with an `enum` must be one of its values; any
/// other value is percent-encoded (all but `A-Z a-z 0-9 - . _ ~`), so it
/// cannot change the host, add a path segment, a query or a fragment:
/// `evil.example/` stays inside the variable's place.
pub fn fill_server_url(
    servers: &[&str],
    variables: &[&[ServerVariable]],
    index: usize,
    values: &[(&str, &str)],
) -> Result<String, Error> {
    let (Some(template), Some(known)) = (servers.get(index), variables.get(index)) else {
        return Err(Error::Config(format!(
            "the spec declares {} server(s); there is no server {index}",
            servers.len()
        )));
    };
    for (name, value) in values {
        let Some((_, _, allowed)) = known.iter().find(|(known, _, _)| known == name) else {
            let names: Vec<&str> = known.iter().map(|(n, _, _)| *n).collect();
            return Err(Error::Config(format!(
                "server {index} has no variable `{name}` (it has: {})",
                names.join(", ")
            )));
        };
        if !allowed.is_empty() && !allowed.contains(value) {
            return Err(Error::Config(format!(
                "`{value}` is not an allowed value of server variable `{name}` (allowed: {})",
                allowed.join(", ")
            )));
        }
    }
    let mut url = template.to_string();
    for (name, default, allowed) in known.iter() {
        let value = match values.iter().rev().find(|(n, _)| n == name) {
            // An allowed value is one the spec wrote, like the default.
            Some((_, value)) if allowed.is_empty() => encode_path_segment(value),
            Some((_, value)) => (*value).to_owned(),
            None => (*default).to_owned(),
        };
        url = url.replace(&format!("{{{name}}}"), &value);
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SERVERS: &[&str] = &["https://{region}.example/{version}"];
    const VARIABLES: &[&[ServerVariable]] =
        &[&[("region", "eu", &["eu", "us"]), ("version", "v1", &[])]];

    #[test]
    fn defaults_overrides_and_refusals() {
        assert_eq!(
            fill_server_url(SERVERS, VARIABLES, 0, &[]).unwrap(),
            "https://eu.example/v1"
        );
        assert_eq!(
            fill_server_url(
                SERVERS,
                VARIABLES,
                0,
                &[("region", "us"), ("version", "v2")]
            )
            .unwrap(),
            "https://us.example/v2"
        );
        assert!(
            fill_server_url(SERVERS, VARIABLES, 0, &[("region", "mars")])
                .unwrap_err()
                .to_string()
                .contains("allowed: eu, us")
        );
        assert!(fill_server_url(SERVERS, VARIABLES, 0, &[("zone", "a")]).is_err());
        // A free value cannot leave its place in the URL.
        assert_eq!(
            fill_server_url(SERVERS, VARIABLES, 0, &[("version", "v1/../../x?y#z")]).unwrap(),
            "https://eu.example/v1%2F..%2F..%2Fx%3Fy%23z"
        );
        const HOSTS: &[&str] = &["https://{tenant}.example.com"];
        const TENANT: &[&[ServerVariable]] = &[&[("tenant", "acme", &[])]];
        let url = fill_server_url(HOSTS, TENANT, 0, &[("tenant", "evil.example/")]).unwrap();
        assert_eq!(url, "https://evil.example%2F.example.com");
        assert!(url::Url::parse(&url).is_err(), "no host `evil.example`");
        assert!(fill_server_url(SERVERS, VARIABLES, 1, &[]).is_err());
    }
}
