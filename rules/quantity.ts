/** Kubernetes resource quantities ("20Gi", "1.5G", "500m", "1e3") as plain numbers. */

const SUFFIX: Record<string, number> = {
    "": 1,
    m: 1e-3,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    P: 1e15,
    E: 1e18,
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
    Pi: 2 ** 50,
    Ei: 2 ** 60,
};

const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[mkMGTPE])?)$/;

/** The quantity's value, or `undefined` when it is not a valid quantity. */
export function parseQuantity(v: unknown): number | undefined {
    if (typeof v === "number") return Number.isFinite(v) ? v : undefined;
    if (typeof v !== "string") return undefined;
    const m = QUANTITY.exec(v.trim());
    if (!m) return undefined;
    const base = Number(m[1]);
    const value = m[2] !== undefined ? base * 10 ** Number(m[2].slice(1)) : base * SUFFIX[m[3] ?? ""];
    return Number.isFinite(value) ? value : undefined;
}

export const GiB = 2 ** 30;
