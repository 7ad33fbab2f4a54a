lamplight-signature/1
{"kind":"snapshot","generation":2,"sha256":"4f4cf6d220ca3d89a490d3a7713a3869c33c7f8f7e1bac5cdcfeb3af18e7aff1","signed_at":"2026-11-04T03:05:00Z","key":"lamplight-sign-1:KqH4QhW9f94r9yNYuZ0IeQgTHnqD/v8fMYfIuDnSPvc="}
3TmH96vyQy4dzURtZB7grJ4CO1lM/PJXgqlf1SknKYSbwuSDRDnfZ14ls51OrYjWUrbKhup/W7Pv8/mZ6IrxDQ==
