//! The mock portal (`mock_portal`) for end-to-end tests.

use mock_portal::{Portal, PortalOptions};

/// The Standard portal on 127.0.0.{first_ip}… (each test uses its own block of addresses).
pub async fn portal(first_ip: u8) -> Portal {
    Portal::start(PortalOptions {
        first_ip,
        ..Default::default()
    })
    .await
    .expect("start portal")
}
