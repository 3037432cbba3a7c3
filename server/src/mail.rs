//! The e-mail that tells a manager (and P&O, for an extreme incident or one the inspectorate
//! must hear of) that something waits in the workspace. It says only that: no name, no
//! incident, no team; the link leads to a login. Sent after the report is stored and its
//! receipt given, never in the way of either; a mail that cannot be sent is logged by kind
//! only (never an address) and the workspace's counts still show what waits.

use lettre::message::{header::ContentType, Mailbox};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use rusqlite::Connection;
use veilig_core::report::Report;

#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// The workspace's address, for the link.
    workspace_url: String,
}

pub const SUBJECT: &str = "Veilig: er wacht iets op je";

impl Mailer {
    /// `relay` is `host:port` (plain SMTP on the organisation's network).
    pub fn new(relay: &str, from: &str, origin: &str) -> Result<Mailer, String> {
        let (host, port) = relay
            .rsplit_once(':')
            .and_then(|(h, p)| Some((h, p.parse::<u16>().ok()?)))
            .ok_or_else(|| format!("--smtp must be host:port, not {relay:?}"))?;
        let from: Mailbox = from
            .parse()
            .map_err(|_| "--mail-from is not an e-mail address".to_owned())?;
        let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
            .port(port)
            .timeout(Some(std::time::Duration::from_secs(20)))
            .build();
        Ok(Mailer {
            transport,
            from,
            workspace_url: format!("{}/werkruimte/", origin.trim_end_matches('/')),
        })
    }

    fn body(&self) -> String {
        format!(
            "Er staat iets voor je klaar in Veilig: een nieuwe registratie of een taak.\n\
             Open de werkruimte en log in:\n{}\n\n\
             Deze e-mail zegt bewust niet wat er is gebeurd.\n\n\
             ---\n\
             Something is waiting for you in Veilig: a new report or a task.\n\
             Open the workspace and log in:\n{}\n\n\
             This e-mail deliberately does not say what happened.\n",
            self.workspace_url, self.workspace_url
        )
    }

    /// Sends one message to each address, one at a time; returns how many were sent.
    pub async fn send_all(&self, to: Vec<String>) -> usize {
        let mut sent = 0;
        for address in to {
            let Ok(mailbox) = address.parse::<Mailbox>() else {
                tracing::warn!("mail: a stored address does not parse; not sent");
                continue;
            };
            let message = Message::builder()
                .from(self.from.clone())
                .to(mailbox)
                .subject(SUBJECT)
                .header(ContentType::TEXT_PLAIN)
                .body(self.body());
            let Ok(message) = message else {
                continue;
            };
            match self.transport.send(message).await {
                Ok(_) => sent += 1,
                Err(err) => {
                    // lettre's error names the relay's answer, not the recipient.
                    tracing::warn!(
                        "mail: not sent ({})",
                        if err.is_permanent() {
                            "refused"
                        } else {
                            "relay unreachable"
                        }
                    )
                }
            }
        }
        sent
    }
}

/// An address as kept: trimmed, or "" (none); `None` when it is not an e-mail address.
pub fn valid_address(raw: &str) -> Option<String> {
    let address = raw.trim();
    if address.is_empty() {
        return Some(String::new());
    }
    (address.len() <= 254 && address.parse::<lettre::Address>().is_ok()).then(|| address.to_owned())
}

/// Who is told of a new report: the managers of its team, and P&O when they have a task at
/// once. Only active people with an address.
pub fn recipients(conn: &Connection, team: &str, report: &Report) -> rusqlite::Result<Vec<String>> {
    let po = veilig_core::aftercare::po_acts_at_once(report);
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT p.email FROM people p
         WHERE p.email IS NOT NULL AND p.email <> '' AND p.disabled_at IS NULL AND (
            (EXISTS (SELECT 1 FROM team_managers m WHERE m.person_id = p.id AND m.team_id = ?1)
             AND EXISTS (SELECT 1 FROM people_roles r WHERE r.person_id = p.id AND r.role = 'leidinggevende'))
            OR (?2 AND EXISTS (SELECT 1 FROM people_roles r WHERE r.person_id = p.id AND r.role = 'po')))
         ORDER BY p.email",
    )?;
    let rows = stmt.query_map(rusqlite::params![team, po], |r| r.get(0))?;
    rows.collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_kept_trimmed_or_refused_and_empty_means_none() {
        assert_eq!(
            valid_address("  piet@example.nl "),
            Some("piet@example.nl".into())
        );
        assert_eq!(valid_address(""), Some(String::new()));
        assert_eq!(valid_address("   "), Some(String::new()));
        for bad in ["piet", "piet@", "@example.nl", "piet @example.nl"] {
            assert_eq!(valid_address(bad), None, "{bad}");
        }
        assert_eq!(
            valid_address(&format!("{}@example.nl", "a".repeat(250))),
            None
        );
    }
}
