import { describe, expect, it } from "vitest";
import { BackendError } from "./backend";

describe("errors from the station", () => {
  it("keep the station's code and message", () => {
    const error = BackendError.from({ code: "not_found", message: "no patient with id \"x\"" });
    expect(error.code).toBe("not_found");
    expect(error.message).toBe('no patient with id "x"');
  });

  it("turn anything else (an access-control refusal arrives as a string) into an internal error", () => {
    const error = BackendError.from("ward_board not allowed by ACL");
    expect(error.code).toBe("internal");
    expect(error.message).toContain("ward_board not allowed by ACL");
  });
});
