//! A4 PDFs of the paper a ward uses when its EPR is down: SBAR handover, bed census, drug charts,
//! NEWS2 observation charts, a blank forms pack, the ward's quick-reference card, the
//! reconciliation report after an outage, and reports that are tables (IT's fleet readiness).
//!
//! This crate lays out *view models* ([`model`]) that someone else filled in; it knows nothing of
//! where the data came from (the station builds the models from its snapshot). Every page says how
//! old its data is ("DOWNTIME COPY - data as of 14:05 21/11/2026"), for which ward, who printed it
//! and "page x of y"; pages about one patient carry their identifiers and a Code 128 barcode of the
//! NHS number. Text wraps rather than being clipped, and long lists continue on the next page with
//! the banner and table headers drawn again.
//!
//! Fonts are DejaVu Sans and Sans Bold, embedded in the binary (see `fonts/LICENSE-DejaVu.txt`) and
//! subset into each PDF, so a page prints the same on every PC and a PDF stays small.

#![forbid(unsafe_code)]

pub mod audit;
mod banner;
mod blank;
mod card;
mod census;
pub mod code128;
mod drug_chart;
mod handover;
pub mod model;
mod obs_chart;
mod page;
mod table;

pub use model::*;

/// A finished PDF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pdf {
    pub bytes: Vec<u8>,
    pub pages: usize,
}

/// Renders documents into one PDF, in order. Each document (each patient's chart, each ward of a
/// census) numbers its own pages, so a chart taken out of a pack still says "page 2 of 3".
pub fn render(title: &str, documents: &[Document]) -> Pdf {
    let mut book = page::Book::new(title);
    for d in documents {
        match d {
            Document::Handover(h) => handover::render(&mut book, h),
            Document::Census(c) => census::render(&mut book, c),
            Document::DrugChart(c) => drug_chart::render(&mut book, c),
            Document::ObsChart(c) => obs_chart::render(&mut book, c),
            Document::BlankForms(f) => blank::render(&mut book, f),
            Document::Reconciliation(r) => table::render(&mut book, &r.into()),
            Document::Table(t) => table::render(&mut book, t),
            Document::QuickReference(q) => card::render(&mut book, q),
        }
    }
    let pages = book.page_count();
    Pdf {
        bytes: book.finish(),
        pages,
    }
}
