/**
 * COS regions (Tencent Cloud "Regions and Access Endpoints"): a bucket lives in one, and its
 * S3 endpoint is `https://cos.<region>.myqcloud.com` (core/names.ts: cosEndpoint).
 */
export const COS_REGIONS = [
    "ap-beijing-1",
    "ap-beijing",
    "ap-nanjing",
    "ap-shanghai",
    "ap-guangzhou",
    "ap-chengdu",
    "ap-chongqing",
    "ap-shenzhen-fsi",
    "ap-shanghai-fsi",
    "ap-beijing-fsi",
    "ap-hongkong",
    "ap-singapore",
    "ap-mumbai",
    "ap-jakarta",
    "ap-seoul",
    "ap-bangkok",
    "ap-tokyo",
    "na-siliconvalley",
    "na-ashburn",
    "na-toronto",
    "sa-saopaulo",
    "eu-frankfurt",
] as const;
