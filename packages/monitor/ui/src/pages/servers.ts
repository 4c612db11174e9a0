import { api } from "../api.js";
import type { Servers } from "../api-types.js";
import { h, panel } from "../dom.js";
import type { Page } from "../router.js";
import { serversTable } from "../tables.js";

/** Every server instance sharing the database, with its state. */
export const serversPage: Page = {
  title: "Servers",
  live: true,
  async render() {
    const servers = await api<Servers>("/api/servers");
    const running = servers.items.filter((s) => s.status === "running").length;
    return h(
      "div",
      {},
      h(
        "div",
        { class: "page-head" },
        h(
          "div",
          {},
          h("h1", {}, "Servers"),
          h(
            "div",
            { class: "sub" },
            `${running} of ${servers.items.length} running · stale = no heartbeat, probably crashed`,
          ),
        ),
      ),
      panel("Instances", serversTable(servers.items)),
    );
  },
};
