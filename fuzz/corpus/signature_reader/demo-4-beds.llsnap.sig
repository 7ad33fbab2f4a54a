lamplight-signature/1
{"kind":"snapshot","generation":1,"sha256":"4f4cf6d220ca3d89a490d3a7713a3869c33c7f8f7e1bac5cdcfeb3af18e7aff1","signed_at":"2026-11-04T03:05:00Z","key":"lamplight-sign-1:KqH4QhW9f94r9yNYuZ0IeQgTHnqD/v8fMYfIuDnSPvc="}
9hv5GKNnRTNEjdojV3aJYn3/ls9bXGluFmSRLW6EM/XVHjVPt2M/thQZ0rKb0e0Jwm/Jr21PWTbiffw0aRHjAg==
