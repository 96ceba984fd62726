"""Change notifications with resource data, both ways, with Python's `cryptography` only.

Microsoft's page "Set up change notifications that include resource data" (learn.microsoft.com,
graph/change-notifications-with-resource-data, "Decrypting resource data") gives the steps
followed here, independently of the Rust code:

1. the symmetric key (`dataKey`, base64) is decrypted with the app's private key, RSA with
   OAEP padding (SHA-1, as the page's .NET, Java and Node examples use);
2. the `dataSignature` (base64) is the HMAC-SHA256 of the decoded `data` under that key, and
   is compared before anything is decrypted;
3. `data` (base64) is decrypted with AES in CBC mode with PKCS7 padding, the key being the
   symmetric key and the IV its first 16 bytes.

Part one builds a notification that way (and a validation token, an RS256 JWT signed with the
emulator's published test key) and runs the crate's receiver on it
(`examples/receive_notification.rs`): the receiver must hand back the resource, and refuse
the same notification with one byte of its signature changed.

Part two subscribes at the emulator with the app's certificate, answers the validation
handshake, ends a meeting, and decrypts the notification the emulator sends with the same
documented steps; the resource must be what GET returns, and the validation token must verify
against the emulator's published key with the documented claims.

Usage: python notifications.py EMULATOR_URL RECEIVER_BINARY
Prints one line per check and `N passed, M failed` last; exits 1 on any failure.
"""

import base64
import http.server
import json
import os
import queue
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request

from cryptography import x509
from cryptography.hazmat.primitives import hashes, hmac, padding, serialization
from cryptography.hazmat.primitives.asymmetric import padding as asymmetric
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "tests", "fixtures", "notifications")
EMULATOR_KEYS = os.path.join(ROOT, "emulator", "src", "keys")
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
USER = "550fae72-d251-43ec-868c-373732c2704f"
APP = "c0ffee00-1234-4abc-8def-0123456789ab"
STATE = "interop client state"
CERTIFICATE_ID = "interop-certificate"
GRAPH_CHANGE_TRACKING = "0bf30f3b-4a52-48df-9a82-234910c4a086"

passed = failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok   {name}")
    else:
        failed += 1
        print(f"FAIL {name} {detail}")


def b64(data):
    return base64.b64encode(data).decode()


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def read(path):
    with open(path, "rb") as f:
        return f.read()


def certificate():
    return x509.load_pem_x509_certificate(read(os.path.join(FIXTURES, "app-cert.pem")))


def private_key():
    return serialization.load_pem_private_key(read(os.path.join(FIXTURES, "app-key.pem")), None)


OAEP = asymmetric.OAEP(mgf=asymmetric.MGF1(algorithm=hashes.SHA1()), algorithm=hashes.SHA1(), label=None)


def encrypt(resource):
    """encryptedContent for `resource`, built as the page's steps, reversed."""
    key = os.urandom(32)
    padder = padding.PKCS7(128).padder()
    plain = padder.update(json.dumps(resource).encode()) + padder.finalize()
    encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    data = encryptor.update(plain) + encryptor.finalize()
    mac = hmac.HMAC(key, hashes.SHA256())
    mac.update(data)
    cert = certificate()
    return {
        "data": b64(data),
        "dataSignature": b64(mac.finalize()),
        "dataKey": b64(cert.public_key().encrypt(key, OAEP)),
        "encryptionCertificateId": CERTIFICATE_ID,
        "encryptionCertificateThumbprint": cert.fingerprint(hashes.SHA1()).hex().upper(),
    }


def decrypt(content):
    """The resource in `content`, by the page's three steps; raises if the signature fails."""
    key = private_key().decrypt(base64.b64decode(content["dataKey"]), OAEP)
    data = base64.b64decode(content["data"])
    mac = hmac.HMAC(key, hashes.SHA256())
    mac.update(data)
    mac.verify(base64.b64decode(content["dataSignature"]))
    decryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
    padded = decryptor.update(data) + decryptor.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    return json.loads(unpadder.update(padded) + unpadder.finalize())


def signed_token(claims):
    """An RS256 JWT signed with the emulator's published test key."""
    key = serialization.load_pem_private_key(read(os.path.join(EMULATOR_KEYS, "token-signing-key.pem")), None)
    header = b64url(json.dumps({"alg": "RS256", "typ": "JWT", "kid": "test-signing-key"}).encode())
    payload = b64url(json.dumps(claims).encode())
    signature = key.sign(f"{header}.{payload}".encode(), asymmetric.PKCS1v15(), hashes.SHA256())
    return f"{header}.{payload}.{b64url(signature)}"


def verify_token(token):
    """The claims of `token` when its RS256 signature verifies against the emulator's JWKS."""
    header, payload, signature = token.split(".")
    kid = json.loads(unb64url(header))["kid"]
    keys = json.loads(read(os.path.join(EMULATOR_KEYS, "token-keys.json")))["keys"]
    jwk = next(k for k in keys if k["kid"] == kid)
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicNumbers

    numbers = RSAPublicNumbers(int.from_bytes(unb64url(jwk["e"]), "big"), int.from_bytes(unb64url(jwk["n"]), "big"))
    numbers.public_key().verify(unb64url(signature), f"{header}.{payload}".encode(), asymmetric.PKCS1v15(), hashes.SHA256())
    return json.loads(unb64url(payload))


def part_one(receiver_binary):
    transcript = {
        "id": "MSMjMCMjaW50ZXJvcA==",
        "meetingId": "MSo1aW50ZXJvcA",
        "callId": "af630fe0-04d3-4559-8cf9-91fe45e36296",
        "createdDateTime": "2026-01-05T09:46:01Z",
    }
    now = int(time.time())
    token = signed_token({
        "aud": APP, "iss": f"https://sts.windows.net/{TENANT}/", "tid": TENANT,
        "appid": GRAPH_CHANGE_TRACKING, "iat": now, "nbf": now, "exp": now + 3600,
    })
    item = {
        "subscriptionId": "f1e2d3c4", "changeType": "created", "clientState": STATE,
        "tenantId": TENANT,
        "resource": "communications/onlineMeetings('MSo1aW50ZXJvcA')/transcripts('MSMjMCMjaW50ZXJvcA==')",
        "resourceData": {"@odata.type": "#Microsoft.Graph.callTranscript", "id": transcript["id"]},
        "encryptedContent": encrypt(transcript),
    }

    def receive(collection):
        done = subprocess.run(
            [receiver_binary, STATE, APP, CERTIFICATE_ID, os.path.join(FIXTURES, "app-key.pem"),
             os.path.join(EMULATOR_KEYS, "token-keys.json")],
            input=json.dumps(collection).encode(), capture_output=True, check=False,
        )
        if done.returncode != 0:
            return None, done.stderr.decode()
        return [json.loads(line) for line in done.stdout.decode().splitlines()], ""

    lines, error = receive({"validationTokens": [token], "value": [item]})
    check("the receiver decrypts a notification built with Python's cryptography",
          lines == [{"event": "transcript", "resource": transcript}], f"{lines} {error}")

    signature = bytearray(base64.b64decode(item["encryptedContent"]["dataSignature"]))
    signature[0] ^= 1
    item["encryptedContent"]["dataSignature"] = b64(bytes(signature))
    lines, error = receive({"validationTokens": [token], "value": [item]})
    check("the receiver refuses it with one bit of its signature changed",
          lines is not None and len(lines) == 1 and "refused" in lines[0], f"{lines} {error}")


class Endpoint(http.server.BaseHTTPRequestHandler):
    """A notification URL: answers the validation handshake, queues each notification."""

    received = queue.Queue()

    def do_POST(self):
        query = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if "validationToken" in query:
            token = query["validationToken"][0].encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(token)))
            self.end_headers()
            self.wfile.write(token)
            return
        Endpoint.received.put(json.loads(body))
        self.send_response(202)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def app_token():
    claims = {"tid": TENANT, "oid": APP, "appid": APP, "roles": ["OnlineMeetings.ReadWrite.All",
              "OnlineMeetingTranscript.Read.All", "OnlineMeetingRecording.Read.All"], "idtyp": "app"}
    return ".".join([b64url(json.dumps({"alg": "none", "typ": "JWT"}).encode()),
                     b64url(json.dumps(claims).encode()), ""])


def call(base, method, path, body=None):
    request = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode())
    request.add_header("Authorization", f"Bearer {app_token()}")
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request) as answer:
        text = answer.read()
        return json.loads(text) if text else None


def part_two(base):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Endpoint)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/notifications"
    der = certificate().public_bytes(serialization.Encoding.DER)
    expiration = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 45 * 60))
    call(base, "POST", "/v1.0/subscriptions", {
        "changeType": "created", "resource": "communications/onlineMeetings/getAllTranscripts",
        "notificationUrl": url, "expirationDateTime": expiration, "clientState": STATE,
        "includeResourceData": True, "encryptionCertificate": b64(der),
        "encryptionCertificateId": CERTIFICATE_ID,
    })
    meeting = call(base, "POST", f"/v1.0/users/{USER}/onlineMeetings/createOrGet", {"externalId": "interop-notified"})
    call(base, "POST", f"/_emulator/v1.0/users/{USER}/onlineMeetings/{urllib.parse.quote(meeting['id'], safe='')}/end",
         {"attendees": [], "recordingBytes": 16})
    collection = Endpoint.received.get(timeout=30)
    item = collection["value"][0]
    check("the emulator's notification carries our clientState", item.get("clientState") == STATE, item.get("clientState"))
    try:
        resource = decrypt(item["encryptedContent"])
    except Exception as error:  # the documented steps failed: say how
        check("the emulator's notification decrypts by the documented steps", False, repr(error))
        return
    check("the emulator's notification decrypts by the documented steps", True)
    got = call(base, "GET", f"/v1.0/users/{USER}/onlineMeetings/{urllib.parse.quote(meeting['id'], safe='')}"
               f"/transcripts/{urllib.parse.quote(resource['id'], safe='')}")
    got.pop("@odata.context", None)
    check("the decrypted resource is what GET returns", resource == got, f"{resource} != {got}")
    try:
        claims = verify_token(collection["validationTokens"][0])
        check("its validation token verifies, for our app, from Graph's publisher",
              claims["aud"] == APP and claims["appid"] == GRAPH_CHANGE_TRACKING
              and claims["iss"] == f"https://sts.windows.net/{TENANT}/" and claims["exp"] > time.time(), claims)
    except Exception as error:
        check("its validation token verifies", False, repr(error))
    server.shutdown()


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    part_one(sys.argv[2])
    part_two(sys.argv[1])
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
