//! The database schema of a multi-tenant SaaS application: organizations own everything,
//! users join them through memberships, and row-level security keeps tenants apart.

// Clippy reads `on(organization_id)` in two `#[drizzle(index(...))]` attributes as the
// same attribute repeated; they are two indexes.
#![allow(clippy::duplicated_attributes)]

use std::net::IpAddr;

use chrono::{DateTime, NaiveDate, Utc};
use drizzle::{PgEnum, PgSchema, Role, Sequence, Table, View};
use rust_decimal::Decimal;
use uuid::Uuid;

/// Invoicing lives in its own PostgreSQL schema so finance tooling can be granted it alone.
#[derive(PgSchema)]
#[drizzle(name = "billing")]
pub struct Billing;

/// The role the application connects as; row-level security policies apply to it.
#[derive(Role)]
#[drizzle(name = "app_user")]
pub struct AppUser;

/// What a member may do inside an organization.
#[derive(PgEnum, Debug, Clone, Copy, PartialEq, Eq)]
#[drizzle(name = "member_role")]
pub enum MemberRole {
    /// Full control, including billing and deleting the organization.
    Owner,
    /// Manages members and settings.
    Admin,
    /// Works with contacts and orders.
    Member,
    /// Read-only access.
    #[drizzle(value = "read_only")]
    Viewer,
}

/// Whether a contact is a person or a company.
#[derive(PgEnum, Debug, Clone, Copy, PartialEq, Eq)]
#[drizzle(name = "contact_kind")]
pub enum ContactKind {
    /// A natural person.
    Person,
    /// A company or other organization.
    Company,
}

/// Where an order is in its life cycle.
#[derive(PgEnum, Debug, Clone, Copy, PartialEq, Eq)]
#[drizzle(name = "order_status")]
pub enum OrderStatus {
    /// Being put together; not visible to fulfilment.
    Draft,
    /// Placed and awaiting payment.
    Open,
    /// Paid in full.
    Paid,
    /// Handed to the carrier.
    Shipped,
    /// Abandoned or refunded.
    Cancelled,
}

/// The state of an invoice.
#[derive(PgEnum, Debug, Clone, Copy, PartialEq, Eq)]
#[drizzle(name = "invoice_status", schema = "billing")]
pub enum InvoiceStatus {
    /// Not yet sent.
    Draft,
    /// Sent to the customer.
    Issued,
    /// Settled.
    Paid,
    /// Cancelled after issuing; kept for the audit trail.
    Void,
}

/// Invoice numbers are gap-tolerant but must never repeat, across all organizations.
#[derive(Sequence)]
#[drizzle(
    name = "invoice_number_seq",
    schema = "billing",
    start = 10000,
    cache = 1
)]
pub struct InvoiceNumberSeq;

/// A customer account; every other row belongs to exactly one organization.
#[derive(Table, Debug, Clone)]
#[drizzle(name = "organizations")]
pub struct Organization {
    #[drizzle(primary_key, default_random)]
    pub id: Uuid,
    /// Display name.
    #[drizzle(varchar(200))]
    pub name: String,
    /// URL-safe identifier used in the organization's subdomain.
    #[drizzle(varchar(63), unique)]
    pub slug: String,
    /// Feature flags and preferences, free-form.
    #[drizzle(default_sql = "'{}'::jsonb")]
    pub settings: serde_json::Value,
    #[drizzle(default_now)]
    pub created_at: DateTime<Utc>,
}

/// A person who can sign in; may belong to several organizations.
#[derive(Table, Debug, Clone)]
#[drizzle(name = "users")]
#[drizzle(index(name = "users_email_lower_key", on(sql("lower(email)")), unique))]
pub struct User {
    #[drizzle(primary_key, default_random)]
    pub id: Uuid,
    /// Sign-in address; unique regardless of case.
    #[drizzle(varchar(320))]
    pub email: String,
    pub display_name: Option<String>,
    /// Argon2 hash; absent for users who only sign in through SSO.
    pub password_hash: Option<String>,
    pub email_verified_at: Option<DateTime<Utc>>,
    #[drizzle(default_now)]
    pub created_at: DateTime<Utc>,
}

/// A signed-in browser or API client.
#[derive(Table, Debug, Clone)]
#[drizzle(name = "sessions")]
#[drizzle(index(name = "sessions_expires_at_idx", on(expires_at)))]
pub struct Session {
    #[drizzle(primary_key, default_random)]
    pub id: Uuid,
    #[drizzle(references(User::id, on_delete = cascade), index)]
    pub user_id: Uuid,
    /// SHA-256 of the bearer token; the token itself is never stored.
    #[drizzle(char(64), unique)]
    pub token_hash: String,
    pub ip_address: Option<IpAddr>,
    pub user_agent: Option<String>,
    pub expires_at: DateTime<Utc>,
    #[drizzle(default_now)]
    pub created_at: DateTime<Utc>,
}

/// Membership of a user in an organization.
#[derive(Table, Debug, Clone)]
#[drizzle(name = "members")]
#[drizzle(primary_key(columns(organization_id, user_id)))]
pub struct Member {
    #[drizzle(references(Organization::id, on_delete = cascade))]
    pub organization_id: Uuid,
    #[drizzle(references(User::id, on_delete = cascade), index)]
    pub user_id: Uuid,
    #[drizzle(default = MemberRole::Member)]
    pub role: MemberRole,
    #[drizzle(default_now)]
    pub joined_at: DateTime<Utc>,
}

/// People and companies an organization does business with.
#[derive(Table, Debug, Clone)]
#[drizzle(name = "contacts", rls)]
#[drizzle(index(name = "contacts_org_idx", on(organization_id)))]
#[drizzle(index(
    name = "contacts_org_recent_idx",
    on(organization_id, created_at(desc))
))]
#[drizzle(unique(name = "contacts_org_email_key", columns(organization_id, email)))]
#[drizzle(check(name = "contacts_name_not_blank", sql = "length(trim(name)) > 0"))]
#[drizzle(policy(
    name = "contacts_tenant_isolation",
    command = all,
    to = ["app_user"],
    using = "organization_id = current_setting('app.organization_id')::uuid",
    with_check = "organization_id = current_setting('app.organization_id')::uuid"
))]
pub struct Contact {
    #[drizzle(primary_key, default_random)]
    pub id: Uuid,
    #[drizzle(references(Organization::id, on_delete = cascade))]
    pub organization_id: Uuid,
    #[drizzle(varchar(255))]
    pub name: String,
    #[drizzle(varchar(255))]
    pub email: Option<String>,
    #[drizzle(default = ContactKind::Person)]
    pub kind: ContactKind,
    /// Free-form labels used for filtering.
    #[drizzle(default_sql = "'{}'")]
    pub tags: Vec<String>,
    #[drizzle(default = true)]
    pub is_active: bool,
    pub notes: Option<String>,
    #[drizzle(default_now)]
    pub created_at: DateTime<Utc>,
    pub updated_at: Option<DateTime<Utc>>,
}

/// Something an organization sells.
#[derive(Table, Debug, Clone)]
#[drizzle(name = "products")]
#[drizzle(unique(name = "products_org_sku_key", columns(organization_id, sku)))]
#[drizzle(check(name = "products_price_not_negative", sql = "price >= 0"))]
pub struct Product {
    #[drizzle(primary_key, default_random)]
    pub id: Uuid,
    #[drizzle(references(Organization::id, on_delete = cascade))]
    pub organization_id: Uuid,
    /// Stock keeping unit, unique within the organization.
    #[drizzle(varchar(64))]
    pub sku: String,
    #[drizzle(varchar(255))]
    pub name: String,
    /// Unit price in `currency`.
    #[drizzle(numeric(12, 2))]
    pub price: Decimal,
    /// ISO 4217 code.
    #[drizzle(char(3), default = "USD")]
    pub currency: String,
    #[drizzle(default = true)]
    pub is_active: bool,
    pub metadata: Option<serde_json::Value>,
    #[drizzle(default_now)]
    pub created_at: DateTime<Utc>,
}

/// A customer's order.
#[derive(Table, Debug, Clone)]
#[drizzle(name = "orders")]
#[drizzle(index(name = "orders_org_status_idx", on(organization_id, status)))]
#[drizzle(index(
    name = "orders_open_placed_idx",
    on(organization_id, placed_at(desc, nulls_last)),
    where = "status = 'open'"
))]
pub struct Order {
    #[drizzle(primary_key, default_random)]
    pub id: Uuid,
    #[drizzle(references(Organization::id, on_delete = cascade))]
    pub organization_id: Uuid,
    #[drizzle(references(Contact::id, on_delete = set_null))]
    pub contact_id: Option<Uuid>,
    /// Human-facing order number, shown on receipts.
    #[drizzle(identity(always, start = 1000), unique)]
    pub number: i64,
    #[drizzle(default = OrderStatus::Draft)]
    pub status: OrderStatus,
    #[drizzle(numeric(12, 2), default = "0.00")]
    pub total: Decimal,
    pub placed_at: Option<DateTime<Utc>>,
    #[drizzle(default_now)]
    pub created_at: DateTime<Utc>,
    #[drizzle(default_now)]
    pub updated_at: DateTime<Utc>,
}

/// One line of an order.
#[derive(Table, Debug, Clone)]
#[drizzle(name = "order_items")]
#[drizzle(unique(columns(order_id, product_id)))]
#[drizzle(index(on(product_id)))]
#[drizzle(check(name = "order_items_quantity_positive", sql = "quantity > 0"))]
pub struct OrderItem {
    #[drizzle(primary_key, identity)]
    pub id: i64,
    #[drizzle(references(Order::id, on_delete = cascade))]
    pub order_id: Uuid,
    #[drizzle(references(Product::id, on_delete = restrict))]
    pub product_id: Uuid,
    #[drizzle(default = 1)]
    pub quantity: i32,
    /// The product's price when the order was placed.
    #[drizzle(numeric(12, 2))]
    pub unit_price: Decimal,
}

/// An invoice sent to an organization.
#[derive(Table, Debug, Clone)]
#[drizzle(name = "invoices", schema = "billing")]
#[drizzle(index(name = "invoices_org_due_idx", on(organization_id, due_on)))]
pub struct Invoice {
    #[drizzle(primary_key, default_random)]
    pub id: Uuid,
    #[drizzle(references(Organization::id, on_delete = cascade))]
    pub organization_id: Uuid,
    #[drizzle(references(Order::id, on_delete = set_null))]
    pub order_id: Option<Uuid>,
    #[drizzle(default_sql = "nextval('billing.invoice_number_seq')", unique)]
    pub number: i64,
    #[drizzle(default = InvoiceStatus::Draft)]
    pub status: InvoiceStatus,
    #[drizzle(numeric(12, 2))]
    pub amount: Decimal,
    pub due_on: NaiveDate,
    pub issued_at: Option<DateTime<Utc>>,
}

/// Orders placed and not yet paid, for the fulfilment dashboard.
#[derive(View, Debug, Clone)]
#[drizzle(
    name = "open_orders",
    definition = r#"select "id", "organization_id", "number", "total", "placed_at" from "orders" where "status" = 'open'"#
)]
pub struct OpenOrder {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub number: i64,
    pub total: Decimal,
    pub placed_at: Option<DateTime<Utc>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_carry_their_sql_names() {
        assert_eq!(Organization::NAME, "organizations");
        assert_eq!(Invoice::SCHEMA, "billing");
        assert_eq!(Contact::SCHEMA, "public");
        assert_eq!(
            Member::COLUMNS,
            &["organization_id", "user_id", "role", "joined_at"]
        );
        assert_eq!(OpenOrder::NAME, "open_orders");
        assert_eq!(OpenOrder::SCHEMA, "public");
    }

    #[test]
    fn enums_round_trip_through_their_sql_values() {
        assert_eq!(MemberRole::Viewer.as_str(), "read_only");
        assert_eq!(MemberRole::from_value("owner"), Some(MemberRole::Owner));
        assert_eq!(InvoiceStatus::SCHEMA, "billing");
        assert_eq!(
            OrderStatus::VALUES,
            &["draft", "open", "paid", "shipped", "cancelled"]
        );
    }
}
