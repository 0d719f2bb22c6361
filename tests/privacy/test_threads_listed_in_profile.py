"""A customer's first threads are listed in their profile (no customer-index write per new thread); past
PROFILE_THREADS the thread's header carries its index entry. Export and forget find every one."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import responses
from boto3.dynamodb.types import TypeSerializer
from heed.privacy.customer_data import export_customer, forget_customer
from heed.storage import keys
from heed.storage.plans import PROFILE_THREADS

from infra.bench import capacity
from tests.respond.world import GRAPH, MONDAY_10_MADRID, World, comment


@responses.activate
def test_every_thread_is_found_whether_the_profile_or_the_index_lists_it(table: Any) -> None:
    responses.post(re.compile(rf"{GRAPH}/.*"), json={"id": "r"})
    world = World(table)
    threads = PROFILE_THREADS + 2
    # Given a customer who started more threads than the profile lists
    for n in range(1, threads + 1):
        at = MONDAY_10_MADRID + timedelta(days=n)  # each after the last one's window
        world.responder().handle(
            comment(n, f"Question number {n} about my bill", author="ana", at=at), now=at
        )
    profile = table.get_item(Key=keys.customer(keys.customer_id_for("facebook#ana")))["Item"]
    headers = [i for i in table.scan()["Items"] if i["sk"] == "#META"]
    # Then the profile lists the first ones and the headers of the rest carry the index entry
    assert len(profile["threads"]) == PROFILE_THREADS
    assert sum(1 for h in headers if "gsi1pk" in h) == threads - PROFILE_THREADS
    # And the profile, with its full list of threads as long as real ones (a Facebook comment id is
    # "{post id}_{comment id}", ~35 characters) and a long name, still costs one write unit
    realistic = {
        **profile,
        "threads": {
            f"facebook#{1000000000000000 + n}_{2000000000000000 + n}" for n in range(PROFILE_THREADS)
        },
        "display_name": "María José Fernández-Castellanos de la Vega",
        "last_mention": f"facebook#{1000000000000000}_{2000000000000000}",
    }
    item = {k: TypeSerializer().serialize(v) for k, v in realistic.items()}
    assert capacity.item_size(item) < 1024
    # And export sees every thread, forget removes every one
    assert len(export_customer(table, "facebook", "ana")["conversations"]) == threads
    forget_customer(table, "facebook", "ana")
    assert not [i for i in table.scan()["Items"] if str(i["pk"]).startswith("CONV#")]
