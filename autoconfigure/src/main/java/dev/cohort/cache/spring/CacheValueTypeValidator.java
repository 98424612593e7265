package dev.cohort.cache.spring;

import tools.jackson.databind.DatabindContext;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.jsontype.PolymorphicTypeValidator;

/**
 * Lets Jackson build only the classes {@link CacheValueTypes} allows, when JSON names
 * them. A class is also allowed where it is exactly the declared type (a property
 * {@code Line line} may be named {@code Line}): that builds nothing the declaring class
 * would not build anyway.
 */
final class CacheValueTypeValidator extends PolymorphicTypeValidator.Base {

	private final CacheValueTypes types;

	CacheValueTypeValidator(CacheValueTypes types) {
		this.types = types;
	}

	@Override
	public Validity validateBaseType(DatabindContext context, JavaType baseType) {
		// Never allow everything below a declared type: decide per named class.
		return Validity.INDETERMINATE;
	}

	@Override
	public Validity validateSubClassName(DatabindContext context, JavaType baseType, String subClassName) {
		// Refused by name, so that Jackson does not even load the class; an allowed name
		// still has its type arguments checked below.
		return allows(baseType, subClassName) ? Validity.INDETERMINATE : Validity.DENIED;
	}

	@Override
	public Validity validateSubType(DatabindContext context, JavaType baseType, JavaType subType) {
		Class<?> named = subType.getRawClass();
		if (!allows(baseType, named.getName())) {
			return Validity.DENIED;
		}
		// A type id can name type arguments too ("java.util.ArrayList<java.util.Timer>"),
		// and then the elements are read as those: allowed only if they come from the
		// declared type, or are allowed themselves.
		if (subType.equals(specialized(context, baseType, named)) || typeArgumentsAllowed(subType)) {
			return Validity.ALLOWED;
		}
		return Validity.DENIED;
	}

	private boolean allows(JavaType baseType, String className) {
		return this.types.allows(className) || baseType.getRawClass().getName().equals(className);
	}

	private boolean typeArgumentsAllowed(JavaType type) {
		for (int i = 0; i < type.containedTypeCount(); i++) {
			JavaType argument = type.containedType(i);
			// Object leaves each element to name its own class, checked in turn.
			boolean allowed = argument.getRawClass() == Object.class
					|| this.types.allows(argument.getRawClass().getName());
			if (!allowed || !typeArgumentsAllowed(argument)) {
				return false;
			}
		}
		return true;
	}

	private static JavaType specialized(DatabindContext context, JavaType baseType, Class<?> named) {
		try {
			return context.getTypeFactory().constructSpecializedType(baseType, named);
		}
		catch (IllegalArgumentException ex) {
			return baseType;
		}
	}

}
