"""Flask extension singletons, bound to the app in create_app()."""

from flask_cors import CORS
from flask_jwt_extended import JWTManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy

from healix.models.base import Base

db = SQLAlchemy(metadata=Base.metadata)
migrate = Migrate()
jwt = JWTManager()
cors = CORS()
