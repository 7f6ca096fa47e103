//! One of each derive, with the names they report.
use drizzle::{PgEnum, PgSchema, Role, Sequence, Table, View};

#[derive(PgSchema)]
#[drizzle(name = "billing")]
pub struct Billing;

#[derive(Role)]
#[drizzle(name = "app_reader", create_db, inherit = false)]
pub struct AppReader;

#[derive(Sequence)]
#[drizzle(name = "order_no_seq", schema = "billing", start = 1000, increment = 1, cycle)]
pub struct OrderNoSeq;

#[derive(PgEnum, Debug, PartialEq)]
#[drizzle(schema = "billing")]
pub enum InvoiceState {
    Open,
    #[drizzle(value = "Paid In Full")]
    Paid,
}

#[derive(Table)]
#[drizzle(name = "invoices", schema = "billing")]
pub struct Invoice {
    #[drizzle(primary_key, identity(always, start = 1))]
    pub id: i64,
    #[drizzle(default = InvoiceState::Open)]
    pub state: InvoiceState,
    #[drizzle(name = "type")]
    pub kind: Option<String>,
    pub r#ref: Option<String>,
    #[drizzle(references(Self::id, on_delete = set_null))]
    pub replaces: Option<i64>,
}

#[derive(View)]
#[drizzle(name = "open_invoices", schema = "billing", definition = "select id from billing.invoices", materialized)]
pub struct OpenInvoices {
    pub id: i64,
}

fn main() {
    assert_eq!(<Billing as drizzle::PgSchema>::NAME, "billing");
    assert_eq!(<AppReader as drizzle::Role>::NAME, "app_reader");
    assert_eq!(<OrderNoSeq as drizzle::Sequence>::SCHEMA, "billing");
    assert_eq!(InvoiceState::NAME, "invoice_state");
    assert_eq!(InvoiceState::VALUES, &["open", "Paid In Full"]);
    assert_eq!(InvoiceState::from_value("Paid In Full"), Some(InvoiceState::Paid));
    assert_eq!(InvoiceState::from_value("paid"), None);
    assert_eq!(Invoice::COLUMNS, &["id", "state", "type", "ref", "replaces"]);
    assert_eq!((Invoice::NAME, Invoice::SCHEMA), ("invoices", "billing"));
    assert!(OpenInvoices::MATERIALIZED);
}
