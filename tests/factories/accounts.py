import datetime

import factory
from django.utils import timezone

from lernplattform.accounts.models import Membership, Organisation, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@kommune.example")
    full_name = factory.Faker("name", locale="de_DE")
    password = factory.PostGenerationMethodCall("set_password", "Test-Passwort-123")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("ars",)

    ars = factory.Sequence(lambda n: f"09{n:03d}0000000"[:12])
    name = factory.Sequence(lambda n: f"Gemeinde {n}")
    kind = Organisation.Kind.GEMEINDE
    headcount = 100


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.LEARNER
    valid_from = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
