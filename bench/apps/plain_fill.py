"""The yardstick for ``fill --publish``: the same requests from a plain httpx script.

Run by path: ``plain_fill.py BASE_URL DESCRIPTION_FILE``. Creates the draft, sends the
two rounds ``fill`` sends for the benchmark's answers (the rate is asked once the
payment type is known), publishes, and checks the draft was published.
"""

from __future__ import annotations

import os
import sys
import uuid

import httpx

PREFIX = "/api/public/v1"
ROUND_ONE = {
    "labelingOverview": "Draw a tight box around every product and tag its brand, in CVAT.",
    "experienceLevel": "ENTRY_LEVEL",
    "paymentType": "PAY_PER_LABEL",
    "languages": ["English"],
    "countries": ["US", "IN"],
    "headcount": 5,
    "dataVolume": 20000,
    "dataVolumeUnit": "NUMBER_OF_FILES",
}
ROUND_TWO = {"pricePerLabel": 0.06}


def main() -> None:
    """Entry point."""
    base_url, description_file = sys.argv[1], sys.argv[2]
    with open(description_file, encoding="utf-8") as handle:
        description = handle.read()
    token = os.environ["OT_API_TOKEN"]
    with httpx.Client(
        base_url=base_url + PREFIX, headers={"Authorization": f"Bearer {token}"}
    ) as http:
        created = http.post(
            "/job-drafts",
            json={"rawJobDescription": description, "idempotencyKey": str(uuid.uuid4())},
        )
        created.raise_for_status()
        job_id = created.json()["jobId"]
        for changes in (ROUND_ONE, ROUND_TWO):
            http.patch(f"/job-drafts/{job_id}", json=changes).raise_for_status()
        published = http.post(f"/jobs/{job_id}/publish")
        published.raise_for_status()
        print(published.json()["jobUrl"])


if __name__ == "__main__":
    main()
