"""People who sign in: parents and carers, caseworkers and administrators."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, Enum, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow


class Role(enum.StrEnum):
    PARENT = "parent"
    CASEWORKER = "caseworker"
    ADMIN = "admin"

    @property
    def is_staff(self) -> bool:
        return self is not Role.PARENT


class AccountStatus(enum.StrEnum):
    PENDING = "pending"  # registered, email address not yet confirmed
    ACTIVE = "active"
    CLOSED = "closed"  # consent withdrawn or closed by the council: can never sign in again
    # Staff only. An invited person has an account (holding the address and the role) but no password
    # until they accept the invitation; a deactivated one keeps the account, cannot sign in, and may be
    # reactivated by an administrator.
    INVITED = "invited"
    DEACTIVATED = "deactivated"


class TwoStepMethod(enum.StrEnum):
    """How an account proves the second step at sign-in (chosen in My account; mandatory for staff)."""

    NONE = "none"
    EMAIL = "email"  # a short code sent to the account's email address
    APP = "app"  # a time-based code from an authenticator app (TOTP), with recovery codes


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        # One open account per address; a closed account frees the address to register afresh.
        Index(
            "uq_users_open_email",
            "email_normalised",
            unique=True,
            sqlite_where=text("status != 'closed'"),
            postgresql_where=text("status != 'closed'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320))
    email_normalised: Mapped[str] = mapped_column(String(320), index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])
    )
    status: Mapped[AccountStatus] = mapped_column(
        Enum(AccountStatus, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])
    )
    title: Mapped[str | None] = mapped_column(String(40))
    forename: Mapped[str] = mapped_column(String(100))
    surname: Mapped[str] = mapped_column(String(100))
    postcode: Mapped[str | None] = mapped_column(String(10))
    address_line_1: Mapped[str | None] = mapped_column(String(200))
    address_line_2: Mapped[str | None] = mapped_column(String(200))
    town: Mapped[str | None] = mapped_column(String(100))
    home_phone: Mapped[str | None] = mapped_column(String(30))
    mobile_phone: Mapped[str | None] = mapped_column(String(30))
    work_phone: Mapped[str | None] = mapped_column(String(30))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    activated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_signed_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    two_step_method: Mapped[TwoStepMethod] = mapped_column(
        Enum(TwoStepMethod, native_enum=False, length=10, values_callable=lambda e: [m.value for m in e]),
        default=TwoStepMethod.NONE,
        server_default=TwoStepMethod.NONE.value,
    )
    # The authenticator app's shared secret (base32) and the last time step accepted from it: a code
    # whose step is not newer is refused, so one code cannot be used twice (pyotp alone would accept it).
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_last_step: Mapped[int | None]
    two_step_failures: Mapped[int] = mapped_column(default=0, server_default="0")
    two_step_locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The language the person chose with the language switch ("en" or "cy"): their next sign-in starts in
    # it, and the emails the portal's texts make are written in it.
    language: Mapped[str] = mapped_column(String(5), default="en", server_default="en")

    @property
    def has_two_step(self) -> bool:
        return self.two_step_method is not TwoStepMethod.NONE

    children: Mapped[list[Child]] = relationship(back_populates="parent", order_by="Child.id")

    @property
    def full_name(self) -> str:
        return f"{self.forename} {self.surname}"

    # The interface Flask-Login expects, written out so the model does not depend on Flask.
    @property
    def is_active(self) -> bool:
        return self.status is AccountStatus.ACTIVE

    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str:
        return str(self.id)


class Child(Base):
    __tablename__ = "children"

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    forename: Mapped[str] = mapped_column(String(100))
    surname: Mapped[str] = mapped_column(String(100))
    date_of_birth: Mapped[date] = mapped_column(Date)
    gender: Mapped[str | None] = mapped_column(String(30))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    parent: Mapped[User] = relationship(back_populates="children")
