//! Discovery and keys (docs/microsoft.md §5), and the id_token's signature against the key set.

use fake_microsoft::identity::jwt::verify_with_jwk;

use crate::support::*;

#[tokio::test]
async fn discovery_by_guid_and_domain_gives_the_guid_issuer() {
    let fake = demo().await;
    for tenant in [TENANT, DOMAIN, &TENANT.to_uppercase()] {
        let response = http()
            .get(format!(
                "{}/{tenant}/v2.0/.well-known/openid-configuration",
                fake.base_url()
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let body: serde_json::Value = response.json().await.unwrap();
        let base = fake.base_url();
        assert_eq!(body["issuer"], format!("{base}/{TENANT}/v2.0"));
        assert_eq!(
            body["token_endpoint"],
            format!("{base}/{TENANT}/oauth2/v2.0/token")
        );
        assert_eq!(
            body["authorization_endpoint"],
            format!("{base}/{TENANT}/oauth2/v2.0/authorize")
        );
        assert_eq!(
            body["jwks_uri"],
            format!("{base}/{TENANT}/discovery/v2.0/keys")
        );
        assert_eq!(
            body["id_token_signing_alg_values_supported"],
            serde_json::json!(["RS256"])
        );
    }
}

#[tokio::test]
async fn discovery_on_common_uses_the_placeholder_issuer() {
    let fake = demo().await;
    let response = http()
        .get(format!(
            "{}/common/v2.0/.well-known/openid-configuration",
            fake.base_url()
        ))
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(
        body["issuer"],
        format!("{}/{{tenantid}}/v2.0", fake.base_url())
    );
    assert_eq!(
        body["token_endpoint"],
        format!("{}/common/oauth2/v2.0/token", fake.base_url())
    );
}

#[tokio::test]
async fn unknown_tenant_is_invalid_tenant_90002() {
    let fake = demo().await;
    for tenant in [
        "00000000-0000-0000-0000-000000000000",
        "fabrikam.onmicrosoft.com",
    ] {
        let response = http()
            .get(format!(
                "{}/{tenant}/v2.0/.well-known/openid-configuration",
                fake.base_url()
            ))
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let body = response.json().await.unwrap();
        assert_aad_error(status, &body, 400, "invalid_tenant", 90002);
        assert!(body["error_description"]
            .as_str()
            .unwrap()
            .contains(&format!("Tenant '{tenant}' not found")));
    }
}

#[tokio::test]
async fn malformed_tenant_is_900023() {
    let fake = demo().await;
    let response = http()
        .get(format!(
            "{}/not_a_tenant/v2.0/.well-known/openid-configuration",
            fake.base_url()
        ))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    assert_aad_error(
        status,
        &response.json().await.unwrap(),
        400,
        "invalid_tenant",
        900023,
    );
}

#[tokio::test]
async fn id_token_verifies_against_published_keys_and_carries_the_claims() {
    let fake = demo().await;
    let code = code_for(&fake, INFO, INFO_PASSWORD).await;
    let (status, tokens) = redeem(&fake, &code).await;
    assert_eq!(status, 200, "{tokens}");
    let keys: serde_json::Value = http()
        .get(format!("{}/{TENANT}/discovery/v2.0/keys", fake.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let jwk = &keys["keys"][0];
    assert_eq!(jwk["kty"], "RSA");
    assert_eq!(jwk["use"], "sig");
    let id_token = tokens["id_token"].as_str().unwrap();
    let header = fake_microsoft::identity::jwt::decode_claims(&format!(
        "x.{}",
        id_token.split('.').next().unwrap()
    ))
    .unwrap();
    assert_eq!(header["alg"], "RS256");
    assert_eq!(header["kid"], jwk["kid"]);
    let claims = verify_with_jwk(id_token, jwk).expect("signature verifies");
    assert_eq!(claims["aud"], CLIENT_ID);
    assert_eq!(claims["iss"], format!("{}/{TENANT}/v2.0", fake.base_url()));
    assert_eq!(claims["tid"], TENANT);
    assert_eq!(claims["oid"], INFO_ID);
    assert_eq!(claims["preferred_username"], INFO);
    assert_eq!(claims["name"], "Info Energie Coöperatie");
    assert_eq!(claims["ver"], "2.0");
    let exp = claims["exp"].as_i64().unwrap();
    assert!(exp > fake.now().timestamp() + 3000, "exp {exp}");
}
