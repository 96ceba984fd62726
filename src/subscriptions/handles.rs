//! The app's change-notification subscriptions ([`Subscriptions`], from
//! [`GraphClient::subscriptions`]), with one method per operation.

use chrono::{DateTime, FixedOffset, Utc};

use crate::runtime::client::GraphClient;
use crate::runtime::error::Result;
use crate::runtime::pages::Pages;
use crate::runtime::response::Response;
use crate::subscriptions::rules::check_expiration;
use crate::types::{Subscription, SubscriptionCollectionResponse, SubscriptionRenewal};

impl GraphClient {
    /// The app's change-notification subscriptions.
    ///
    /// ```no_run
    /// # async fn run(client: graph_online_meetings::GraphClient) -> graph_online_meetings::Result<()> {
    /// use graph_online_meetings::SubscriptionResource;
    /// use graph_online_meetings::chrono::{Duration, Utc};
    /// use graph_online_meetings::types::Subscription;
    ///
    /// let expiration = (Utc::now() + Duration::minutes(50)).fixed_offset();
    /// let request = Subscription::to(
    ///     &SubscriptionResource::AllTranscripts,
    ///     "https://example.com/graph/notifications",
    ///     expiration,
    /// )
    /// .with_client_state("a secret the receiver checks");
    /// let created = client.subscriptions().create(&request).await?;
    /// println!("{:?} until {:?}", created.id, created.expiration_date_time);
    /// # Ok(())
    /// # }
    /// ```
    pub fn subscriptions(&self) -> Subscriptions<'_> {
        Subscriptions { client: self }
    }
}

/// The app's subscriptions: from [`GraphClient::subscriptions`]. `Copy`: use it for as
/// many calls as you like.
#[derive(Debug, Clone, Copy)]
pub struct Subscriptions<'c> {
    client: &'c GraphClient,
}

impl<'c> Subscriptions<'c> {
    /// Create a subscription. It is checked first ([`Subscription::validate`]); Graph
    /// then validates the notification URL (it POSTs a `validationToken` there and waits
    /// for it back) before it answers.
    ///
    /// Runs [`Operation::CreateSubscription`](crate::Operation::CreateSubscription).
    pub async fn create(self, subscription: &Subscription) -> Result<Response<Subscription>> {
        subscription.validate()?;
        self.client
            .run(|raw| raw.call_create_subscription(subscription))
            .await
    }

    /// The app's subscriptions that have not expired.
    ///
    /// Runs [`Operation::ListSubscriptions`](crate::Operation::ListSubscriptions).
    pub fn list(self) -> Pages<'c, Subscription> {
        let client = self.client;
        Pages::new::<SubscriptionCollectionResponse>(client, async move {
            client.run(|raw| raw.call_list_subscriptions()).await
        })
    }

    /// Get a subscription by its id. An unknown or expired one is an
    /// [`Error::Api`](crate::Error::Api) with status `404`.
    ///
    /// Runs [`Operation::GetSubscription`](crate::Operation::GetSubscription).
    pub async fn get(self, subscription_id: &str) -> Result<Response<Subscription>> {
        self.client
            .run(|raw| raw.call_get_subscription(subscription_id))
            .await
    }

    /// Renew a subscription: it now expires at `expiration` (in the future, and at most
    /// the resource's maximum ahead, which Graph checks).
    ///
    /// Runs [`Operation::UpdateSubscription`](crate::Operation::UpdateSubscription).
    pub async fn renew(
        self,
        subscription_id: &str,
        expiration: DateTime<FixedOffset>,
    ) -> Result<Response<Subscription>> {
        check_expiration(expiration, Utc::now().fixed_offset())?;
        let renewal = SubscriptionRenewal::new(expiration);
        self.client
            .run(|raw| raw.call_update_subscription(subscription_id, &renewal))
            .await
    }

    /// Delete a subscription: Graph sends no more notifications for it.
    ///
    /// Runs [`Operation::DeleteSubscription`](crate::Operation::DeleteSubscription).
    pub async fn delete(self, subscription_id: &str) -> Result<Response<()>> {
        self.client
            .run(|raw| raw.call_delete_subscription(subscription_id))
            .await
    }
}
