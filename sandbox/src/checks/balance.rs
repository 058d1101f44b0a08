//! The balance: operations that document `insufficient_balance` answer it once the configured
//! number of successful calls is spent.

use super::super::refusal::{Checked, Refusal, error};
use super::super::spec::OpSpec;
use super::super::state::Shared;

/// Whether a call of `op` spends balance.
pub(crate) fn billable(op: &OpSpec) -> bool {
    op.documents("insufficient_balance")
}

pub(crate) fn check(shared: &Shared, op: &OpSpec) -> Checked {
    if billable(op)
        && shared
            .config
            .balance
            .is_some_and(|b| shared.state().spent >= b)
    {
        return Err(Refusal::answer(error(
            op,
            "insufficient_balance",
            422,
            "Insufficient balance to process this request",
        )));
    }
    Ok(())
}
