//! Reading an answer's body with a hard cap: chunk by chunk as it arrives, refusing early
//! when the announced length is over the cap, and stopping at the first byte past it, so
//! neither `Content-Length` nor a body that does not end can make the memory grow beyond it.

/// A body read up to a cap.
#[derive(Debug, PartialEq, Eq)]
pub enum Capped {
    /// The whole body, at most the cap.
    Complete(Vec<u8>),
    /// Longer than the cap: `read` bytes were received (0 when the announced length said
    /// so before reading) and dropped.
    OverLimit { read: u64 },
}

/// Reads `response`'s body, at most `cap` bytes.
pub async fn read_capped(
    mut response: reqwest::Response,
    cap: u64,
) -> Result<Capped, reqwest::Error> {
    if response.content_length().is_some_and(|length| length > cap) {
        return Ok(Capped::OverLimit { read: 0 });
    }
    // Room for what was announced (never more than the cap), else grown as chunks come.
    let expected = response.content_length().unwrap_or(0).min(cap);
    let mut body = Vec::with_capacity(usize::try_from(expected).unwrap_or(0));
    while let Some(chunk) = response.chunk().await? {
        let read = body.len() as u64 + chunk.len() as u64;
        if read > cap {
            return Ok(Capped::OverLimit { read });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Capped::Complete(body))
}
