// Discovery fixture: a plain JavaScript module (grpc-handlers naming convention).
import { AccountServiceBase } from "../../../gen/testsvc/v1/test_service.grpc-cfg.ts";

export class AccountService extends AccountServiceBase {
  async me(_request, ctx) {
    return { authenticated: true, userId: ctx.user.id, username: "from-js" };
  }
}
