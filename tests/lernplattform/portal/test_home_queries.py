"""The anonymous home page stays within issue 18's budget, however many courses the catalogue holds."""

import pytest

from tests.factories.pages import CoursePageFactory

pytestmark = pytest.mark.django_db

HOME_ANONYMOUS_MAX_QUERIES = 4


@pytest.mark.parametrize("n_courses", [1, 50])
def test_anonymous_home_page_runs_at_most_four_queries(client, django_assert_max_num_queries, n_courses):
    for _ in range(n_courses):
        CoursePageFactory()
    assert client.get("/").status_code == 200  # fills the site, route and link caches
    with django_assert_max_num_queries(HOME_ANONYMOUS_MAX_QUERIES):
        assert client.get("/").status_code == 200
