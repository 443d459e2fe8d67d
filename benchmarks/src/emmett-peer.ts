/**
 * The peer: the same wallet workload written as Emmett users write it. One stream per
 * wallet (`wallet-{id}`), a decider per wallet (decide/evolve/initialState), and Emmett's
 * `DeciderCommandHandler` over its in-memory event store, which reads the stream, folds it,
 * decides and appends with an expected version on every command.
 *
 * A transfer touches two streams, so it is two commands: debit the source wallet (refused
 * with an error when funds are short, Emmett's idiom), then credit the target. Nothing makes
 * the pair atomic; an Emmett user would add a process manager for that, which this peer
 * leaves out (so it does less than Pacioli, never more). Money is bigint minor units, as in
 * Pacioli; Emmett's samples use `number`, which we do not copy.
 */
import {
  DeciderCommandHandler,
  getInMemoryEventStore,
  IllegalStateError,
  type Command,
  type Event,
  type InMemoryEventStore,
} from "@event-driven-io/emmett";
import type { LedgerCommand } from "@pacioli/core";

type WalletEvent =
  | Event<"WalletOpened", { walletId: string; ownerId: string }>
  | Event<"FundsDeposited", { walletId: string; amount: bigint }>
  | Event<"FundsDebited", { walletId: string; transferId: string; amount: bigint }>
  | Event<"FundsCredited", { walletId: string; transferId: string; amount: bigint }>;

type WalletCommand =
  | Command<"OpenWallet", { walletId: string; ownerId: string }>
  | Command<"DepositFunds", { walletId: string; amount: bigint }>
  | Command<"DebitForTransfer", { walletId: string; transferId: string; amount: bigint }>
  | Command<"CreditForTransfer", { walletId: string; transferId: string; amount: bigint }>;

interface WalletState {
  readonly opened: boolean;
  readonly balance: bigint;
}

const initialState = (): WalletState => ({ opened: false, balance: 0n });

function evolve(state: WalletState, event: WalletEvent): WalletState {
  switch (event.type) {
    case "WalletOpened":
      return { opened: true, balance: 0n };
    case "FundsDeposited":
    case "FundsCredited":
      return { opened: state.opened, balance: state.balance + event.data.amount };
    case "FundsDebited":
      return { opened: state.opened, balance: state.balance - event.data.amount };
  }
}

function decide(command: WalletCommand, state: WalletState): WalletEvent {
  switch (command.type) {
    case "OpenWallet":
      if (state.opened) throw new IllegalStateError("wallet already open");
      return { type: "WalletOpened", data: command.data };
    case "DepositFunds":
      if (!state.opened) throw new IllegalStateError("wallet not open");
      return { type: "FundsDeposited", data: command.data };
    case "DebitForTransfer":
      if (!state.opened) throw new IllegalStateError("wallet not open");
      if (state.balance < command.data.amount) throw new IllegalStateError("insufficient funds");
      return { type: "FundsDebited", data: command.data };
    case "CreditForTransfer":
      if (!state.opened) throw new IllegalStateError("wallet not open");
      return { type: "FundsCredited", data: command.data };
  }
}

const handle = DeciderCommandHandler<WalletState, WalletCommand, WalletEvent>({
  decide,
  evolve,
  initialState,
  mapToStreamId: (id) => `wallet-${id}`,
});

export class EmmettWallets {
  readonly store: InMemoryEventStore = getInMemoryEventStore();
  accepted = 0;
  refused = 0;

  /** Runs the wallet commands of a workload (open, deposit, transfer); other commands are not modelled. */
  async run(commands: readonly LedgerCommand[]): Promise<void> {
    for (const command of commands) {
      switch (command.type) {
        case "OpenWallet":
          await handle(this.store, command.walletId, {
            type: "OpenWallet",
            data: { walletId: command.walletId, ownerId: command.ownerId },
          });
          this.accepted += 1;
          break;
        case "DepositFunds":
          await handle(this.store, command.walletId, {
            type: "DepositFunds",
            data: { walletId: command.walletId, amount: command.amount.amount },
          });
          this.accepted += 1;
          break;
        case "TransferFunds": {
          const data = { transferId: command.transferId, amount: command.amount.amount };
          try {
            await handle(this.store, command.fromWalletId, {
              type: "DebitForTransfer",
              data: { walletId: command.fromWalletId, ...data },
            });
          } catch (error) {
            if (!(error instanceof IllegalStateError)) throw error;
            this.refused += 1;
            break;
          }
          await handle(this.store, command.toWalletId, {
            type: "CreditForTransfer",
            data: { walletId: command.toWalletId, ...data },
          });
          this.accepted += 1;
          break;
        }
        default:
          throw new Error(`the Emmett peer models wallets only, not ${command.type}`);
      }
    }
  }

  /** A wallet's balance, folded from its stream as Emmett would to answer a query. */
  async balance(walletId: string): Promise<bigint> {
    const result = await this.store.aggregateStream<WalletState, WalletEvent>(
      `wallet-${walletId}`,
      { evolve, initialState },
    );
    return result.state.balance;
  }
}
