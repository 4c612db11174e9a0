// Discovery fixture: AccountService without its `me` handler.
import { AccountServiceBase } from "../../gen/testsvc/v1/test_service.grpc-cfg.js";

// @ts-expect-error deliberately incomplete
export class AccountService extends AccountServiceBase {}
