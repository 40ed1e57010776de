import { IsEmail, IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';

export class WelcomeDto {
  @IsEmail()
  email!: string;
}

export class OtpDto {
  @Matches(/^\+[1-9]\d{1,14}$/, { message: 'phone must be an E.164 number' })
  phone!: string;
}

/** The host's own resource, validated by the host's own (non-whitelisting) pipe. */
export class NoteDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title!: string;
}

export class ContactDto {
  @IsEmail()
  to!: string;

  @IsString()
  @IsNotEmpty()
  message!: string;
}
