//! The one seam between typed values and the bytes stored on this device: every store (settings,
//! reports, outbox, flow logs, checklists) encodes and decodes here, in its versioned envelope
//! (`veilig_core::envelope`). Encryption of device storage belongs here, and only here.

use serde::de::DeserializeOwned;
use serde::Serialize;
use veilig_core::envelope::{self, DecodeError, Migration};

use super::error::{encode_failed, StorageError};

pub fn encode<T: Serialize>(version: u32, value: &T) -> Result<String, StorageError> {
    envelope::encode(version, value).map_err(encode_failed)
}

pub fn decode<T: DeserializeOwned>(raw: &str, migrations: &[Migration]) -> Result<T, DecodeError> {
    envelope::decode(raw, migrations)
}

pub fn decode_value(raw: &str, migrations: &[Migration]) -> Result<serde_json::Value, DecodeError> {
    envelope::decode_value(raw, migrations)
}
