// Filled in by the Tencent Cloud SDK work (issue 3).
export {};
