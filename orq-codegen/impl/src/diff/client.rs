//! The client type's items: what `from_env` reads, the servers, the group accessors.

use std::collections::{BTreeMap, BTreeSet};

use super::{At, ChangeKind, Differ, Impact};
use crate::surface::Surface;

impl Differ {
    pub(super) fn client(&mut self, old: &Surface, new: &Surface) {
        let (o, n) = (&old.client, &new.client);
        if (&o.env_prefix, &o.credential) != (&n.env_prefix, &n.credential) {
            self.push(
                Impact::Behavior,
                ChangeKind::CredentialChanged,
                new.client_item("from_env"),
                format!(
                    "reads `{}_API_KEY` as {} (was `{}_API_KEY` as {})",
                    n.env_prefix,
                    credential(&n.credential),
                    o.env_prefix,
                    credential(&o.credential)
                ),
                At::both(
                    "#/components/securitySchemes",
                    "#/components/securitySchemes",
                ),
            );
        }
        if o.default_server != n.default_server {
            self.push(
                Impact::Behavior,
                ChangeKind::DefaultServerChanged,
                new.client_item("DEFAULT_SERVER_URL"),
                format!(
                    "requests go to `{}` (was `{}`) unless the client sets a server",
                    n.default_server, o.default_server
                ),
                At::both("#/servers", "#/servers"),
            );
        }
        let servers = new.client_item("SERVERS");
        for index in 0..old.servers.len().max(new.servers.len()) {
            let at = format!("#/servers/{index}");
            match (old.servers.get(index), new.servers.get(index)) {
                (Some(o), Some(n)) if o != n => self.push(
                    Impact::Behavior,
                    ChangeKind::ServerChanged,
                    &servers,
                    format!(
                        "server {index} is `{}` (was `{}`)",
                        server_text(n),
                        server_text(o)
                    ),
                    At::both(&at, &at),
                ),
                (None, Some(n)) => self.push(
                    Impact::Additive,
                    ChangeKind::ServerAdded,
                    &servers,
                    format!("server {index} added: `{}`", server_text(n)),
                    At::new(&at),
                ),
                (Some(o), None) => self.push(
                    Impact::Behavior,
                    ChangeKind::ServerRemoved,
                    &servers,
                    format!(
                        "server {index} (`{}`) removed: `server_url_for({index}, ..)` now fails",
                        server_text(o)
                    ),
                    At::old(&at),
                ),
                _ => {}
            }
        }
    }

    /// Group accessors; a removed group whose operations all moved to one added group
    /// was renamed.
    pub(super) fn groups(
        &mut self,
        old: &Surface,
        new: &Surface,
        moves: &BTreeSet<(String, String)>,
    ) {
        let group_at = |tag: &str| format!("tag `{tag}`");
        let added: BTreeMap<&String, _> = new
            .groups
            .iter()
            .filter(|(name, _)| !old.groups.contains_key(*name))
            .collect();
        let mut renamed_to = BTreeSet::new();
        for (name, o) in &old.groups {
            if new.groups.contains_key(name) {
                continue;
            }
            let targets: BTreeSet<&String> = moves
                .iter()
                .filter(|(from, _)| *from == o.type_path)
                .map(|(_, to)| to)
                .collect();
            let target = match targets.len() {
                1 => added
                    .iter()
                    .find(|(_, n)| targets.contains(&n.type_path))
                    .map(|(new_name, n)| (*new_name, *n)),
                _ => None,
            };
            let old_at = group_at(&o.tag);
            match target {
                Some((new_name, n)) => {
                    renamed_to.insert(new_name.clone());
                    let new_at = group_at(&n.tag);
                    self.push(
                        Impact::Breaking,
                        ChangeKind::GroupRenamed,
                        new.client_item(new_name),
                        format!(
                            "group renamed from `{}` (`{}`, tag `{}`) to `{}`",
                            old.client_item(name),
                            o.type_path,
                            o.tag,
                            n.type_path
                        ),
                        At::both(&old_at, &new_at),
                    );
                }
                None => self.push(
                    Impact::Breaking,
                    ChangeKind::GroupRemoved,
                    old.client_item(name),
                    format!("group removed (`{}`, tag `{}`)", o.type_path, o.tag),
                    At::old(&old_at),
                ),
            }
        }
        for (name, n) in added {
            if renamed_to.contains(name) {
                continue;
            }
            let at = group_at(&n.tag);
            self.push(
                Impact::Additive,
                ChangeKind::GroupAdded,
                new.client_item(name),
                format!("group added (`{}`, tag `{}`)", n.type_path, n.tag),
                At::new(&at),
            );
        }
    }
}

fn credential(kind: &str) -> &str {
    match kind {
        "bearer" => "a bearer token",
        "api key" => "an API key",
        _ => "nothing (the spec declares no credential)",
    }
}

fn server_text(server: &crate::surface::Server) -> String {
    let mut text = server.url.clone();
    if !server.variables.is_empty() {
        let vars: Vec<String> = server
            .variables
            .iter()
            .map(|(name, value)| match server.allowed.get(name) {
                Some(allowed) => format!("{name} = {value} of {}", allowed.join("|")),
                None => format!("{name} = {value}"),
            })
            .collect();
        text.push_str(&format!(" ({})", vars.join(", ")));
    }
    text
}
