"""factory_boy factories for the models; every row is flushed into the test's session."""
from decimal import Decimal

import factory
from argon2 import PasswordHasher

from assettransfer.extensions import db
from assettransfer.models import (
    Application,
    Asset,
    AssetType,
    LegalForm,
    Membership,
    Organisation,
    Role,
    User,
)
from assettransfer.models.types import utcnow

PASSWORD = "correct horse battery"
# Cheap hashing parameters: tests sign in hundreds of times.
_hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
_PASSWORD_HASH = _hasher.hash(PASSWORD)


def _session():
    return db.session


class _Base(factory.alchemy.SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = _session
        sqlalchemy_session_persistence = "flush"


class UserFactory(_Base):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    name = factory.Faker("name", locale="en_GB")
    password_hash = _PASSWORD_HASH
    role = Role.APPLICANT
    active = True
    # Confirmed, as an admin's accounts are; ``unconfirmed=True`` for one that has just signed up.
    email_confirmed_at = factory.LazyFunction(utcnow)

    class Params:
        unconfirmed = factory.Trait(email_confirmed_at=None)
        officer = factory.Trait(role=Role.OFFICER)
        decision_maker = factory.Trait(role=Role.DECISION_MAKER)
        legal = factory.Trait(role=Role.LEGAL)
        admin = factory.Trait(role=Role.ADMIN)


class OrganisationFactory(_Base):
    """A community-controlled SCIO with 25 members, all s19 answers yes."""

    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Friends of Place {n}")
    legal_form = LegalForm.SCIO
    charity_number = factory.Sequence(lambda n: f"SC0{n:05d}")
    address = "1 Main Street\nExampletown"
    postcode = "EX1 2AB"
    member_count = 25
    local_voter_member_count = 25
    community_definition = "People living in the Exampletown community council area"
    community_defined = True
    majority_from_community = True
    members_control = True
    open_membership = True
    community_benefit_aims = True
    surplus_for_community = True

    class Params:
        unincorporated = factory.Trait(
            legal_form=LegalForm.UNINCORPORATED_ASSOCIATION, charity_number=None
        )

    @factory.post_generation
    def lead(self, create, extracted, **kwargs):
        """``OrganisationFactory(lead=user)`` makes ``user`` its lead contact."""
        if extracted is not None:
            self.memberships.append(Membership(user=extracted, is_lead_contact=True))
            db.session.flush()


class AssetFactory(_Base):
    class Meta:
        model = Asset

    name = factory.Sequence(lambda n: f"Riverside Park {n}")
    asset_type = AssetType.PARK
    address = "Riverside Road\nExampletown"
    postcode = "EX1 3CD"
    uprn = factory.Sequence(lambda n: f"{100000000 + n}")
    title_number = factory.Sequence(lambda n: f"ANG{n:05d}")
    area_m2 = Decimal("12500.00")
    current_use = "Public park with a pavilion"
    condition = "Fair; pavilion roof needs work"
    annual_running_cost = Decimal("18500.00")
    estimated_market_value = Decimal("250000.00")
    description = "A riverside park with a pavilion and play area."


class ApplicationFactory(_Base):
    """A raw row in the workflow's first state; use the services to move it."""

    class Meta:
        model = Application

    reference = factory.Sequence(lambda n: f"TST-2026-{n:04d}")
    asset = factory.SubFactory(AssetFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    workflow = "council-cat"
    state = "eoi_draft"
    answers = factory.LazyFunction(dict)
