export * from "./user";
export * from "./policy";
export * from "./userPolicyAttachment";
export * from "./accessKey";
