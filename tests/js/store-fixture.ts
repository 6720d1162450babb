// The store both type-checked usage files (usage.ts, usage-node.ts) evaluate.
import type { StoreData } from "merchant-credit";

export const store: StoreData = {
  as_of: "2025-06-30",
  currency: "CNY",
  merchant: { id: "m-1", store_type: "reseller", opened_on: "2022-01-10" },
  monthly: [{ month: "2025-05", gmv: 100000, orders: 800 }],
};
