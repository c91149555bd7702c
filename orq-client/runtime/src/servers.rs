//! Server URL templates with `{variables}` (OpenAPI `servers[].variables`).

use crate::error::Error;

/// One variable: name, default, allowed values (empty: any value).
pub type ServerVariable = (&'static str, &'static str, &'static [&'static str]);

/// Fill the template `servers[index]`: defaults from `variables[index]`, overridden by `values`.
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
    for (name, default, _) in known.iter() {
        let value = values
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map_or(*default, |(_, v)| *v);
        url = url.replace(&format!("{{{name}}}"), value);
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
        assert!(fill_server_url(SERVERS, VARIABLES, 1, &[]).is_err());
    }
}
