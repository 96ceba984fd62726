//! Resource data as Graph encrypts it (`encryptedContent`), checked and decrypted in the
//! order Microsoft's page on change notifications with resource data gives: the
//! symmetric key unwrapped with the app's private key (RSA-OAEP), the `dataSignature`
//! (HMAC-SHA256 of the encrypted bytes under that key) verified, and only then the data
//! decrypted (AES-CBC with PKCS7 padding, the IV being the key's first 16 bytes).

use std::fmt;

use aws_lc_rs::cipher::{
    AES_128, AES_192, AES_256, DecryptionContext, PaddedBlockDecryptingKey, UnboundCipherKey,
};
use aws_lc_rs::encoding::{AsDer as _, Pkcs8V1Der};
use aws_lc_rs::hmac;
use aws_lc_rs::iv::FixedLength;
use aws_lc_rs::rsa::{OAEP_SHA1_MGF1SHA1, OaepPrivateDecryptingKey, PrivateDecryptingKey};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use rustls_pki_types::PrivateKeyDer;
use rustls_pki_types::pem::PemObject as _;

use crate::subscriptions::notifications::events::Refusal;
use crate::types::ChangeNotificationEncryptedContent;

/// The private key of a certificate the app gave Graph (`encryptionCertificate`), under
/// the ID it gave with it (`encryptionCertificateId`): what decrypts the resource data
/// of notifications that name that ID.
///
/// Its `Debug` shows the certificate ID only; the key never reaches a log.
pub struct DecryptionKey {
    certificate_id: String,
    key: OaepPrivateDecryptingKey,
}

/// A private key that cannot decrypt notifications, and why.
#[derive(Debug, thiserror::Error)]
#[error("the private key for certificate {certificate_id:?} is not usable: {reason}")]
pub struct KeyError {
    /// The certificate ID the key was given under.
    pub certificate_id: String,
    /// What is wrong with it.
    pub reason: String,
}

impl KeyError {
    fn new(certificate_id: &str, reason: impl Into<String>) -> Self {
        Self {
            certificate_id: certificate_id.to_owned(),
            reason: reason.into(),
        }
    }
}

impl DecryptionKey {
    /// An RSA private key in PEM (`-----BEGIN PRIVATE KEY-----`, PKCS#8, or
    /// `-----BEGIN RSA PRIVATE KEY-----`, PKCS#1), for the certificate Graph knows as
    /// `certificate_id`.
    pub fn from_pem(certificate_id: impl Into<String>, pem: &str) -> Result<Self, KeyError> {
        let certificate_id = certificate_id.into();
        let der = PrivateKeyDer::from_pem_slice(pem.as_bytes()).map_err(|error| {
            KeyError::new(
                &certificate_id,
                format!("no private key in the PEM text ({error})"),
            )
        })?;
        match der {
            PrivateKeyDer::Pkcs8(der) => {
                Self::from_pkcs8_der(certificate_id, der.secret_pkcs8_der())
            }
            PrivateKeyDer::Pkcs1(der) => {
                let key =
                    aws_lc_rs::rsa::KeyPair::from_der(der.secret_pkcs1_der()).map_err(|error| {
                        KeyError::new(&certificate_id, format!("not an RSA private key ({error})"))
                    })?;
                // Decryption takes PKCS#8; re-encoding a PKCS#1 key there keeps one path.
                let pkcs8: Pkcs8V1Der<'static> = key.as_der().map_err(|_| {
                    KeyError::new(&certificate_id, "the RSA key cannot be encoded as PKCS#8")
                })?;
                Self::from_pkcs8_der(certificate_id, pkcs8.as_ref())
            }
            _ => Err(KeyError::new(
                &certificate_id,
                "not an RSA key: Graph encrypts the symmetric key with RSA-OAEP",
            )),
        }
    }

    /// An RSA private key in PKCS#8 DER, for the certificate Graph knows as
    /// `certificate_id`.
    pub fn from_pkcs8_der(certificate_id: impl Into<String>, der: &[u8]) -> Result<Self, KeyError> {
        let certificate_id = certificate_id.into();
        let key = PrivateDecryptingKey::from_pkcs8(der)
            .map_err(|error| {
                KeyError::new(&certificate_id, format!("not an RSA private key ({error})"))
            })
            .and_then(|key| {
                OaepPrivateDecryptingKey::new(key).map_err(|_| {
                    KeyError::new(&certificate_id, "the key cannot be used for RSA-OAEP")
                })
            })?;
        Ok(Self {
            certificate_id,
            key,
        })
    }

    /// The certificate ID this key decrypts for.
    pub fn certificate_id(&self) -> &str {
        &self.certificate_id
    }

    /// The resource data of one notification, as the JSON bytes Graph encrypted: the key
    /// unwrapped, the signature checked, then the data decrypted. Every failure is a
    /// [`Refusal`]; nothing is decrypted before the signature is verified.
    pub(crate) fn open(
        &self,
        content: &ChangeNotificationEncryptedContent,
    ) -> Result<Vec<u8>, Refusal> {
        let field = |name: &'static str, value: &Option<String>| {
            value
                .as_deref()
                .ok_or(Refusal::Malformed(format!(
                    "encryptedContent has no {name}"
                )))
                .and_then(|text| {
                    STANDARD.decode(text).map_err(|error| {
                        Refusal::Malformed(format!(
                            "encryptedContent.{name} is not base64: {error}"
                        ))
                    })
                })
        };
        let wrapped = field("dataKey", &content.data_key)?;
        let signature = field("dataSignature", &content.data_signature)?;
        let mut data = field("data", &content.data)?;

        let mut buffer = vec![0; self.key.min_output_size()];
        let symmetric = self
            .key
            .decrypt(&OAEP_SHA1_MGF1SHA1, &wrapped, &mut buffer, None)
            .map_err(|_| Refusal::DataKey)?;
        let algorithm = match symmetric.len() {
            16 => &AES_128,
            24 => &AES_192,
            32 => &AES_256,
            other => {
                return Err(Refusal::Malformed(format!(
                    "the data key is {other} bytes, not an AES key"
                )));
            }
        };

        hmac::verify(
            &hmac::Key::new(hmac::HMAC_SHA256, symmetric),
            &data,
            &signature,
        )
        .map_err(|_| Refusal::Signature)?;

        let mut iv = [0; 16];
        iv.copy_from_slice(&symmetric[..16]);
        let key = UnboundCipherKey::new(algorithm, symmetric)
            .and_then(PaddedBlockDecryptingKey::cbc_pkcs7)
            .map_err(|_| Refusal::Decryption)?;
        let plain = key
            .decrypt(&mut data, DecryptionContext::Iv128(FixedLength::from(iv)))
            .map_err(|_| Refusal::Decryption)?;
        Ok(plain.to_vec())
    }
}

impl fmt::Debug for DecryptionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecryptionKey")
            .field("certificate_id", &self.certificate_id)
            .field("key", &"[redacted]")
            .finish()
    }
}
