//! Sealing a notification as Graph does: the resource encrypted for the subscription's
//! certificate, and the validation token that vouches for the collection, signed with
//! the emulator's published test key.

use aws_lc_rs::cipher::{AES_256, EncryptionContext, PaddedBlockEncryptingKey, UnboundCipherKey};
use aws_lc_rs::iv::FixedLength;
use aws_lc_rs::rsa::{OAEP_SHA1_MGF1SHA1, OaepPublicEncryptingKey, PublicEncryptingKey};
use aws_lc_rs::{digest, hmac, rand};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chrono::Utc;
use serde_json::{Value, json};

/// The public keys that sign the emulator's validation tokens, as a JWK set (JSON): what
/// a receiver checks the tokens of an emulator's notifications against, where it would
/// use the Microsoft identity platform's published keys.
pub const TOKEN_KEYS_JSON: &str = include_str!("keys/token-keys.json");

/// The private key of [`TOKEN_KEYS_JSON`]. A published test key: the tokens it signs
/// prove nothing outside tests.
const TOKEN_SIGNING_KEY_PEM: &str = include_str!("keys/token-signing-key.pem");

/// The key ID of the token signing key, in its JWK and in each token's header.
const TOKEN_KEY_ID: &str = "test-signing-key";

/// The application ID of Graph's change-notification publisher, which validation tokens
/// are issued to.
const GRAPH_CHANGE_TRACKING_APP_ID: &str = "0bf30f3b-4a52-48df-9a82-234910c4a086";

/// Resource data encrypted as Graph does for a subscription's certificate: a fresh
/// AES-256 key wraps with the certificate's RSA key (OAEP, SHA-1), the resource
/// encrypted with it (CBC, PKCS7 padding, the key's first 16 bytes as IV), and the
/// HMAC-SHA256 of the encrypted bytes under the key as `dataSignature`. The
/// `encryptedContent` object, with `encryptionCertificateId` and the certificate's SHA-1
/// thumbprint.
///
/// # Errors
///
/// Text saying why when `certificate` is not a base64 DER X.509 certificate with an RSA
/// key.
pub fn encrypt_content(
    certificate: &str,
    certificate_id: &str,
    data: &[u8],
) -> Result<Value, String> {
    let (der, key) = certificate_key(certificate)?;
    let mut symmetric = [0u8; 32];
    rand::fill(&mut symmetric).map_err(|_| "no random bytes".to_owned())?;
    let mut wrapped = vec![0; key.ciphertext_size()];
    let wrapped = key
        .encrypt(&OAEP_SHA1_MGF1SHA1, &symmetric, &mut wrapped, None)
        .map_err(|_| "the data key does not encrypt with the certificate's key".to_owned())?;
    let mut iv = [0u8; 16];
    iv.copy_from_slice(&symmetric[..16]);
    let cipher = UnboundCipherKey::new(&AES_256, &symmetric)
        .and_then(PaddedBlockEncryptingKey::cbc_pkcs7)
        .map_err(|_| "no AES key".to_owned())?;
    let mut encrypted = data.to_vec();
    cipher
        .less_safe_encrypt(
            &mut encrypted,
            EncryptionContext::Iv128(FixedLength::from(iv)),
        )
        .map_err(|_| "the data does not encrypt".to_owned())?;
    let signature = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, &symmetric), &encrypted);
    let thumbprint: String = digest::digest(&digest::SHA1_FOR_LEGACY_USE_ONLY, &der)
        .as_ref()
        .iter()
        .map(|byte| format!("{byte:02X}"))
        .collect();
    Ok(json!({
        "data": STANDARD.encode(&encrypted),
        "dataSignature": STANDARD.encode(signature.as_ref()),
        "dataKey": STANDARD.encode(wrapped),
        "encryptionCertificateId": certificate_id,
        "encryptionCertificateThumbprint": thumbprint,
    }))
}

/// The certificate's DER and its RSA public key, or why not.
pub(crate) fn certificate_key(
    certificate: &str,
) -> Result<(Vec<u8>, OaepPublicEncryptingKey), String> {
    let der = STANDARD
        .decode(certificate.trim())
        .map_err(|err| format!("encryptionCertificate is not base64: {err}"))?;
    let cert_der = rustls_pki_types::CertificateDer::from(der.as_slice());
    let parsed = webpki::EndEntityCert::try_from(&cert_der)
        .map_err(|err| format!("encryptionCertificate is not an X.509 certificate: {err:?}"))?;
    let spki = parsed.subject_public_key_info();
    let key = PublicEncryptingKey::from_der(spki.as_ref())
        .map_err(|err| format!("encryptionCertificate has no RSA key: {err}"))
        .and_then(|key| {
            OaepPublicEncryptingKey::new(key).map_err(|_| "the key does not do RSA-OAEP".to_owned())
        })?;
    Ok((der, key))
}

/// A validation token as Graph's publisher gets from the identity platform: for `app_id`
/// in `tenant_id`, valid for an hour, signed with the key of [`TOKEN_KEYS_JSON`].
///
/// # Errors
///
/// Text saying why when the token cannot be signed (the JWT crate has no usable
/// cryptography provider).
pub fn validation_token(tenant_id: &str, app_id: &str) -> Result<String, String> {
    #[derive(serde::Serialize)]
    struct Claims<'a> {
        aud: &'a str,
        iss: String,
        iat: i64,
        nbf: i64,
        exp: i64,
        appid: &'a str,
        appidacr: &'a str,
        tid: &'a str,
        ver: &'a str,
    }
    let now = Utc::now().timestamp();
    let claims = Claims {
        aud: app_id,
        iss: format!("https://sts.windows.net/{tenant_id}/"),
        iat: now,
        nbf: now,
        exp: now + 3600,
        appid: GRAPH_CHANGE_TRACKING_APP_ID,
        appidacr: "2",
        tid: tenant_id,
        ver: "1.0",
    };
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
    header.kid = Some(TOKEN_KEY_ID.to_owned());
    jsonwebtoken::encode(&header, &claims, signing_key()?).map_err(|err| format!("no token: {err}"))
}

/// The token signing key, parsed once.
fn signing_key() -> Result<&'static jsonwebtoken::EncodingKey, String> {
    static KEY: std::sync::OnceLock<Result<jsonwebtoken::EncodingKey, String>> =
        std::sync::OnceLock::new();
    // With both of the JWT crate's backends enabled by other crates it has no default.
    if jsonwebtoken::crypto::CryptoProvider::try_get_default().is_none() {
        let _ = jsonwebtoken::crypto::aws_lc::DEFAULT_PROVIDER.install_default();
    }
    KEY.get_or_init(|| {
        jsonwebtoken::EncodingKey::from_rsa_pem(TOKEN_SIGNING_KEY_PEM.as_bytes())
            .map_err(|err| format!("the token signing key is unusable: {err}"))
    })
    .as_ref()
    .map_err(Clone::clone)
}
