// Every scheme and the parameter sets the product uses run the one scheme contract.
import { runWatermarkSchemeSuite } from "./test-support/scheme.case.js";

runWatermarkSchemeSuite("kgw lefthash h=1 (default)", { scheme: "kgw" });
runWatermarkSchemeSuite("kgw selfhash h=4", { scheme: "kgw", params: { hashing: "selfhash", context: 4 } });
runWatermarkSchemeSuite("kgw minhash h=3", { scheme: "kgw", params: { hashing: "minhash", context: 3 } });
runWatermarkSchemeSuite("gumbel h=4", { scheme: "gumbel" });
runWatermarkSchemeSuite("synthid h=4 m=30", { scheme: "synthid" });
