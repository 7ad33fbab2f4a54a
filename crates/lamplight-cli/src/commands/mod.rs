//! One module per subcommand.

pub mod agent;
pub mod audit;
pub mod bench;
pub mod bench_agent;
pub mod demo;
pub mod demo_entries;
pub mod downtime;
pub mod fleet;
pub mod inspect;
pub mod journal;
pub mod keygen;
pub mod keystore;
pub mod print;
pub mod reconcile;
pub mod refresh;
pub mod revoke;
pub mod roster;
pub mod stage;
pub mod verify;
pub mod watch;
