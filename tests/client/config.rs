//! The builder: clouds and versions make the base URL; `.base_url` replaces the host
//! and keeps the version; `http` only for loopback hosts; mistakes are `Error::Config`.

use graph_online_meetings::{ApiVersion, Cloud, Error, GraphClient};

fn base(cloud: Cloud, version: ApiVersion) -> String {
    GraphClient::builder()
        .cloud(cloud)
        .api_version(version)
        .bearer_token("t")
        .build()
        .expect("valid")
        .base_url()
        .to_string()
}

#[test]
fn clouds_and_versions() {
    assert_eq!(
        base(Cloud::Global, ApiVersion::V1),
        "https://graph.microsoft.com/v1.0"
    );
    assert_eq!(
        base(Cloud::Global, ApiVersion::Beta),
        "https://graph.microsoft.com/beta"
    );
    assert_eq!(
        base(Cloud::UsGovL4, ApiVersion::V1),
        "https://graph.microsoft.us/v1.0"
    );
    assert_eq!(
        base(Cloud::UsGovL5Dod, ApiVersion::V1),
        "https://dod-graph.microsoft.us/v1.0"
    );
    assert_eq!(
        base(Cloud::China, ApiVersion::V1),
        "https://microsoftgraph.chinacloudapi.cn/v1.0"
    );
    assert_eq!(ApiVersion::V1.to_string(), "v1.0");
    assert_eq!(Cloud::default(), Cloud::Global);
}

#[test]
fn base_url_takes_str_string_or_url_and_keeps_the_version() {
    let url = reqwest::Url::parse("http://127.0.0.1:8080").expect("URL");
    for client in [
        GraphClient::builder().base_url("http://127.0.0.1:8080"),
        GraphClient::builder().base_url(String::from("http://127.0.0.1:8080/")),
        GraphClient::builder().base_url(url),
    ] {
        let client = client
            .bearer_token(String::from("t"))
            .build()
            .expect("valid");
        assert_eq!(client.base_url().as_str(), "http://127.0.0.1:8080/v1.0");
        assert_eq!(client.cloud(), Cloud::Global);
    }
    let gov = GraphClient::builder()
        .cloud(Cloud::UsGovL4)
        .api_version(ApiVersion::Beta)
        .base_url("https://graph-proxy.contoso.com/graph")
        .bearer_token("t")
        .build()
        .expect("valid");
    assert_eq!(
        gov.base_url().as_str(),
        "https://graph-proxy.contoso.com/graph/beta"
    );
}

#[test]
fn http_is_for_loopback_only() {
    for ok in [
        "http://127.0.0.1:1",
        "http://127.1.2.3",
        "http://[::1]:8080",
        "http://localhost:3000",
    ] {
        GraphClient::builder()
            .base_url(ok)
            .bearer_token("t")
            .build()
            .unwrap_or_else(|err| panic!("{ok}: {err}"));
    }
    for bad in [
        "http://graph.microsoft.com",
        "http://192.168.1.10:8080",
        "http://[::2]",
    ] {
        let err = GraphClient::builder()
            .base_url(bad)
            .bearer_token("t")
            .build()
            .expect_err(bad);
        assert!(matches!(err, Error::Config(_)), "{bad}: {err:?}");
        assert!(err.to_string().contains("loopback"), "{err}");
    }
}

#[test]
fn other_base_url_mistakes_are_config_errors() {
    for bad in [
        "graph.microsoft.com",
        "https://admin:hunter2@graph.microsoft.com",
        "https://graph.microsoft.com/?tenant=x",
        "https://graph.microsoft.com/#top",
        "https://graph.microsoft.com/v1.0",
        "https://graph.microsoft.com/beta/",
        "file:///etc/passwd",
    ] {
        let err = GraphClient::builder()
            .base_url(bad)
            .bearer_token("t")
            .build()
            .expect_err(bad);
        assert!(matches!(err, Error::Config(_)), "{bad}: {err:?}");
        assert!(!err.to_string().contains("hunter2"), "{err}");
    }
}
